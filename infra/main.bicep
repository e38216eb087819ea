// MegaFon Virtual PBX <-> ELMA365 bridge: everything `azd up` provisions.
//
//   resource group rg-<env>
//   ├─ user-assigned identity         the app's only credential (no keys, no connection strings)
//   ├─ storage account                host blobs, queues vats-events and recordings (+ -poison),
//   │                                 table calls, private container recordings (lifecycle:
//   │                                 cool at 30 days, deleted after retention), Flex deployment
//   │                                 container; shared keys disabled
//   ├─ Log Analytics + App Insights   telemetry, Entra ID ingestion only
//   ├─ Key Vault                      the PBX key, the CRM key, the ELMA365 key
//   └─ Flex Consumption plan + app    dotnet-isolated 10.0, tagged azd-service-name: api
//
// Subscription scope so that azd creates the resource group itself (`azd up` asks only for a
// subscription and a location). Parameters come from main.parameters.json (azd environment).

targetScope = 'subscription'

import * as types from 'modules/types.bicep'

// ---------------------------------------------------------------------------------------------
// azd environment

@description('Name of the azd environment (AZURE_ENV_NAME). Names the resource group and seeds every resource name, so one subscription can hold several environments.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region for all resources (AZURE_LOCATION). It must offer the Flex Consumption plan.')
@minLength(1)
param location string

@description('Name of the resource group to create or reuse. Empty: rg-<environmentName>.')
param resourceGroupName string = ''

// ---------------------------------------------------------------------------------------------
// The PBX (ВАТС МегаФон)

@description('PBX API address: https://vatsNNNNNN.megapbx.ru/sys/crm_api.wcgp (app setting Vats__Endpoint).')
@minLength(12)
param vatsEndpoint string

@secure()
@description('The PBX key, shown in the PBX "Интеграция с CRM" card; sent as token on CRM -> PBX commands. Stored in Key Vault (Vats__ApiKey).')
@minLength(8)
param vatsApiKey string

@secure()
@description('The CRM key: the value pasted into the PBX "Интеграция с CRM" card, which the PBX sends as crm_token on every webhook. It is the only thing that authenticates the PBX, hence at least 16 characters. Stored in Key Vault (Vats__CrmToken).')
@minLength(16)
param vatsCrmToken string

@description('Comma-separated hosts besides the PBX itself that recording links may point to (Vats__RecordingHosts). Empty: only the PBX host.')
param vatsRecordingHosts string = ''

// ---------------------------------------------------------------------------------------------
// ELMA365

@description('Webhook address of the ELMA365 telephony module the processor pushes calls to (Elma365__WebhookUrl).')
@minLength(12)
param elma365WebhookUrl string

@secure()
@description('The ELMA365 module key sent with every push. Stored in Key Vault (Elma365__Token).')
@minLength(8)
param elma365Token string

// ---------------------------------------------------------------------------------------------
// Call recordings

@description('Archive call recordings into the storage account, so they outlive the PBX\'s week (Recordings__Archive). false: ELMA365 keeps the PBX\'s own links, as before.')
param archiveRecordings bool = true

@description('Days archived recordings are kept; the lifecycle rule moves them to the cool tier after 30 days and deletes them after this (Recordings__RetentionDays).')
@minValue(1)
@maxValue(36500)
param recordingRetentionDays int = 365

// ---------------------------------------------------------------------------------------------
// Sizing

@description('Most instances the app may scale out to. Each instance drains the queue in batches, so this also caps the parallel load on ELMA365.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per Flex Consumption instance in MB.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Concurrent HTTP requests per instance before another instance is added (16 is the platform default for 2048 MB).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Days a deleted Key Vault (or secret) stays recoverable. Purge protection is on, so a deleted vault keeps its name for this long.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 90

// ---------------------------------------------------------------------------------------------
// Names and tags

// Deterministic per subscription + environment + region: redeploying updates in place.
var resourceToken = uniqueString(subscription().id, environmentName, location)

var tags types.tagSet = {
  'azd-env-name': environmentName
  application: 'megafon-vats-elma365-bridge'
}

var names = {
  resourceGroup: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  identity: 'id-${resourceToken}'
  storage: 'st${resourceToken}'
  deploymentContainer: 'app-package-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-${resourceToken}'
}

// ---------------------------------------------------------------------------------------------
// Resources

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

// The modules below look the identity up by name (a value known before deployment) rather than
// taking its principal id as a parameter, so role assignment names stay predictable for what-if.
// That is why they depend on the identity module explicitly.

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: names.deploymentContainer
    identityName: names.identity
    recordingRetentionDays: recordingRetentionDays
  }
  dependsOn: [
    identity
  ]
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    identityName: names.identity
  }
  dependsOn: [
    identity
  ]
}

module keyVault 'modules/keyvault.bicep' = {
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    identityName: names.identity
    vatsApiKey: vatsApiKey
    vatsCrmToken: vatsCrmToken
    elma365Token: elma365Token
  }
  dependsOn: [
    identity
  ]
}

// Takes outputs of storage, monitoring and keyVault, so it starts only once those modules (and the
// role assignments inside them) are done: the app never boots without its permissions.
module functionApp 'modules/function-app.bicep' = {
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityName: names.identity
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: names.deploymentContainer
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    vatsApiKeyUri: keyVault.outputs.vatsApiKeyUri
    vatsCrmTokenUri: keyVault.outputs.vatsCrmTokenUri
    elma365TokenUri: keyVault.outputs.elma365TokenUri
    vatsEndpoint: vatsEndpoint
    vatsRecordingHosts: vatsRecordingHosts
    elma365WebhookUrl: elma365WebhookUrl
    archiveRecordings: archiveRecordings
    recordingRetentionDays: recordingRetentionDays
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs (azd writes them into .azure/<env>/.env)

@description('Resource group holding everything.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app.')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Default host name of the function app.')
output AZURE_FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName

@description('Address to paste into the PBX "Интеграция с CRM" card as the CRM webhook address.')
output VATS_WEBHOOK_URL string = 'https://${functionApp.outputs.defaultHostName}/api/vats/webhook'

@description('Name of the Key Vault holding the three secrets (rotate them there).')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('Name of the Application Insights component (run infra/queries/*.kql against it).')
output AZURE_APPLICATION_INSIGHTS_NAME string = monitoring.outputs.applicationInsightsName

@description('Name of the Log Analytics workspace behind Application Insights.')
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = monitoring.outputs.logAnalyticsName
