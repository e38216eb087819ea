// The function app on the Flex Consumption plan (FC1, Linux). It runs as the user-assigned
// identity for everything: host storage, deployment package, Key Vault references, telemetry.

import * as types from 'types.bicep'

@description('Name of the function app (also its default host name prefix).')
@minLength(2)
@maxLength(60)
param name string

@description('Name of the Flex Consumption plan.')
@minLength(1)
@maxLength(60)
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app (the app also gets azd-service-name: api).')
param tags types.tagSet

@description('Name of the existing user-assigned identity the app runs as.')
param identityName string

@description('Blob endpoint of the storage account (https, trailing slash).')
param blobEndpoint string

@description('Queue endpoint of the storage account (https, trailing slash).')
param queueEndpoint string

@description('Table endpoint of the storage account (https, trailing slash).')
param tableEndpoint string

@description('Blob container holding the deployment packages.')
param deploymentContainerName string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Version-less Key Vault URI of the PBX key secret.')
param vatsApiKeyUri string

@description('Version-less Key Vault URI of the CRM key secret.')
param vatsCrmTokenUri string

@description('Version-less Key Vault URI of the ELMA365 module key secret.')
param elma365TokenUri string

@description('Version-less Key Vault URI of the bridge key secret (Elma365__ModuleKey).')
param elma365ModuleKeyUri string

@secure()
@description('The bridge key: becomes the host key "elma365", the key the ELMA365 module calls with; the app reads the same value from Key Vault as Elma365__ModuleKey.')
@minLength(16)
param elma365ModuleKey string

@description('PBX API address, e.g. https://vats123456.megapbx.ru/sys/crm_api.wcgp.')
param vatsEndpoint string

@description('Comma-separated extra hosts recording links may point to ("" = the PBX host only).')
param vatsRecordingHosts string

@description('ELMA365 module webhook address the processor pushes to.')
param elma365WebhookUrl string

@description('Archive call recordings into the storage account (Recordings__Archive).')
param archiveRecordings bool

@description('Days archived recordings are kept (Recordings__RetentionDays; the storage lifecycle rule deletes them after that).')
@minValue(1)
@maxValue(36500)
param recordingRetentionDays int

@description('Upper bound on instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Instances of the HTTP group kept running when idle (always ready).')
@minValue(0)
@maxValue(20)
param httpAlwaysReadyInstances int

@description('Instances of ProcessVatsEvent kept running when idle (always ready).')
@minValue(0)
@maxValue(20)
param processVatsEventAlwaysReadyInstances int

@description('Memory per instance in MB (2048 or 4096).')
@allowed([
  2048
  4096
])
param instanceMemoryMB int

@description('Concurrent HTTP requests one instance takes before the platform adds another.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  // azd deploys the "api" service of azure.yaml to the app carrying this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        // Flex Consumption scales each non-HTTP function on instances of its own and scales an idle
        // app to zero: without these the first popup after a quiet spell waits for two cold starts
        // (the webhook's, then the queue function's). "http" is the group of every HTTP function;
        // "function:<name>" one function.
        alwaysReady: [
          {
            name: 'http'
            instanceCount: httpAlwaysReadyInstances
          }
          {
            name: 'function:ProcessVatsEvent'
            instanceCount: processVatsEventAlwaysReadyInstances
          }
        ]
        // Flex Consumption has no per-function ceiling: this app-wide one is also ProcessVatsEvent's,
        // and with host.json's batch it bounds the pushes ELMA365 sees at once during a backlog.
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      // The resource types treat the version as a free string (no diagnostic either way), so
      // '10.0' is checked by the platform at deployment, not by bicep: Flex Consumption must offer
      // .NET 10 isolated in the chosen region.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // App settings. Flex Consumption sets the worker runtime and host version from
  // functionAppConfig, so FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION must not appear.
  // "__" is the configuration section separator the app reads (Vats:ApiKey etc.).
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Host and app storage, identity-based: no account key, no connection string.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.properties.clientId
      AzureWebJobsStorage__blobServiceUri: blobEndpoint
      AzureWebJobsStorage__queueServiceUri: queueEndpoint
      AzureWebJobsStorage__tableServiceUri: tableEndpoint

      // Telemetry, authenticated as the identity (local auth is off on the component).
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'

      // The PBX side.
      Vats__Endpoint: vatsEndpoint
      Vats__ApiKey: '@Microsoft.KeyVault(SecretUri=${vatsApiKeyUri})'
      Vats__CrmToken: '@Microsoft.KeyVault(SecretUri=${vatsCrmTokenUri})'
      Vats__RecordingHosts: vatsRecordingHosts

      // The ELMA365 side.
      Elma365__WebhookUrl: elma365WebhookUrl
      Elma365__Token: '@Microsoft.KeyVault(SecretUri=${elma365TokenUri})'
      Elma365__ModuleKey: '@Microsoft.KeyVault(SecretUri=${elma365ModuleKeyUri})'

      // Call recordings, archived in the "recordings" container (storage.bicep).
      Recordings__Archive: string(archiveRecordings)
      Recordings__RetentionDays: string(recordingRetentionDays)
    }
  }

  // Deployments (azd) authenticate with Entra ID; basic-auth publishing credentials stay off.
  resource ftpPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

// The host key the ELMA365 module calls the bridge with («Ключ функции», functionKey). One value,
// two uses: the module also checks every push against it, and the app sends it as
// Elma365__ModuleKey (read from Key Vault). A named key rather than "default", so that its value is
// the deployment's own (kept in Key Vault) and rotating it leaves the platform's keys alone.
//
// Bicep's type library has no types for sites/host and its functionKeys (bicep-types-az#1356),
// although ARM serves both: hence the two suppressed BCP081 warnings, the only ones in the
// templates. Name and value are the properties the key API documents; infra tests check them.
#disable-next-line BCP081
resource functionHost 'Microsoft.Web/sites/host@2024-11-01' existing = {
  parent: functionApp
  name: 'default'
}

#disable-next-line BCP081
resource elma365HostKey 'Microsoft.Web/sites/host/functionKeys@2024-11-01' = {
  parent: functionHost
  name: 'elma365'
  properties: {
    name: 'elma365'
    value: elma365ModuleKey
  }
  // After the app settings: changing them restarts the host, which a key write must not race.
  dependsOn: [
    functionApp::appSettings
  ]
}

@description('Name of the function app.')
output name string = functionApp.name

@description('Default host name of the function app (no scheme).')
output defaultHostName string = functionApp.properties.defaultHostName
