// Key Vault holding the bridge's four secrets. RBAC authorization only (no access policies), soft
// delete with purge protection. The function app's identity may read secret values (Key Vault
// Secrets User) and nothing else; the deploying principal writes the secrets through ARM.

import * as types from 'types.bicep'

@description('Name of the Key Vault (3-24 letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the Key Vault.')
param location string

@description('Tags applied to the Key Vault.')
param tags types.tagSet

@description('Days a deleted vault or secret stays recoverable (7-90). Purge protection keeps it from being purged earlier.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Name of the existing user-assigned identity the function app runs as; it may read secret values.')
param identityName string

@secure()
@description('The PBX key ("Ключ для авторизации в ВАТС"), sent as token on CRM -> PBX commands.')
param vatsApiKey string

@secure()
@description('The CRM key the PBX sends as crm_token with every webhook.')
param vatsCrmToken string

@secure()
@description('The ELMA365 module key sent with every push to the module webhook.')
param elma365Token string

@secure()
@description('The bridge key: the value of the Function App host key "elma365", which the ELMA365 module calls the bridge with and checks every push against (X-Bridge-Key).')
param elma365ModuleKey string

// Secret names in the vault (the app never sees them: it reads app settings that reference them).
var secretNames = {
  vatsApiKey: 'vats-api-key'
  vatsCrmToken: 'vats-crm-token'
  elma365Token: 'elma365-token'
  elma365ModuleKey: 'elma365-module-key'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource vatsApiKeySecret 'secrets' = {
    name: secretNames.vatsApiKey
    properties: {
      value: vatsApiKey
      contentType: 'text/plain'
    }
  }

  resource vatsCrmTokenSecret 'secrets' = {
    name: secretNames.vatsCrmToken
    properties: {
      value: vatsCrmToken
      contentType: 'text/plain'
    }
  }

  resource elma365TokenSecret 'secrets' = {
    name: secretNames.elma365Token
    properties: {
      value: elma365Token
      contentType: 'text/plain'
    }
  }

  resource elma365ModuleKeySecret 'secrets' = {
    name: secretNames.elma365ModuleKey
    properties: {
      value: elma365ModuleKey
      contentType: 'text/plain'
    }
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, types.roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', types.roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Version-less secret URIs: a Key Vault reference without a version follows the latest version,
// which is what makes rotation a Key Vault-only operation (see infra/README.md).

@description('Name of the Key Vault.')
output name string = vault.name

@description('Version-less URI of the PBX key secret (an address, not the value).')
output vatsApiKeyUri string = vault::vatsApiKeySecret.properties.secretUri

@description('Version-less URI of the CRM key secret (an address, not the value).')
output vatsCrmTokenUri string = vault::vatsCrmTokenSecret.properties.secretUri

@description('Version-less URI of the ELMA365 module key secret (an address, not the value).')
output elma365TokenUri string = vault::elma365TokenSecret.properties.secretUri

@description('Version-less URI of the bridge key secret (an address, not the value).')
output elma365ModuleKeyUri string = vault::elma365ModuleKeySecret.properties.secretUri
