// The one identity the function app runs as. Every data-plane permission (storage, Key Vault,
// Application Insights) is granted to it by the module that owns the resource.

import * as types from 'types.bicep'

@description('Name of the user-assigned managed identity.')
@minLength(3)
@maxLength(128)
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags types.tagSet

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity (for identity blocks, keyVaultReferenceIdentity and deployment storage auth).')
output id string = identity.id

@description('Client (application) id of the identity: what the Functions host, the Azure SDK and Application Insights are told to use.')
output clientId string = identity.properties.clientId

@description('Object (principal) id of the identity: the subject of its role assignments.')
output principalId string = identity.properties.principalId
