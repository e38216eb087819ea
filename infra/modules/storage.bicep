// The storage account behind everything the app keeps: the Functions host's own blobs and leases,
// the "vats-events" and "recordings" queues (and their poison queues), the "calls", "contacts" and
// "settings" tables, the private "recordings" container of archived call recordings with its
// lifecycle rule, and the Flex Consumption deployment package container. Shared keys are disabled:
// every caller uses Entra ID, so no key or key-bearing connection string exists anywhere in the
// app's configuration.

import * as types from 'types.bicep'

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the storage account.')
param location string

@description('Tags applied to the storage account.')
param tags types.tagSet

@description('Name of the blob container that holds the Flex Consumption deployment packages.')
@minLength(3)
@maxLength(63)
param deploymentContainerName string

@description('Name of the existing user-assigned identity the function app runs as; it is granted data-plane roles on this account.')
param identityName string

@description('Days an archived call recording is kept before the lifecycle rule deletes it (the app reads the same number as Recordings__RetentionDays).')
@minValue(1)
@maxValue(36500)
param recordingRetentionDays int

// Recordings older than this move to the cool tier: a dispute months later still opens them, at a
// fraction of the hot tier's storage price. Cool bills at least 30 days, so a shorter retention skips it.
var recordingCoolAfterDays = 30

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }

    // Name fixed by the app: Megafon.Core.Recordings.RecordingContainer.Name. Private: recordings are
    // reached only through the short-lived read-only links GetCallLink signs.
    resource recordingsContainer 'containers' = {
      name: 'recordings'
      properties: {
        publicAccess: 'None'
      }
    }
  }

  // Archived recordings: cool after 30 days, deleted after the retention the company chose.
  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'recordings-retention'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: {
                blobTypes: [
                  'blockBlob'
                ]
                prefixMatch: [
                  'recordings/'
                ]
              }
              actions: {
                baseBlob: union(
                  recordingRetentionDays > recordingCoolAfterDays
                    ? { tierToCool: { daysAfterModificationGreaterThan: recordingCoolAfterDays } }
                    : {},
                  { delete: { daysAfterModificationGreaterThan: recordingRetentionDays } }
                )
              }
            }
          }
        ]
      }
    }
  }

  resource queueService 'queueServices' = {
    name: 'default'

    // Names fixed by the app: Megafon.Core.Queueing.QueueNames.VatsEvents, and the poison queue
    // the Functions host (and the app's own poison path) derives from it: "<queue>-poison".
    resource eventsQueue 'queues' = {
      name: 'vats-events'
    }

    resource poisonQueue 'queues' = {
      name: 'vats-events-poison'
    }

    // Megafon.Core.Recordings.RecordingQueues: archive requests, and the ones given up on.
    resource recordingsQueue 'queues' = {
      name: 'recordings'
    }

    resource recordingsPoisonQueue 'queues' = {
      name: 'recordings-poison'
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    // Name fixed by the app: Megafon.Core.Calls.CallStore.TableName.
    resource callsTable 'tables' = {
      name: 'calls'
    }

    // Name fixed by the app: Megafon.Core.Contacts.ContactCache.TableName (the contact lookup's
    // cache; the app also creates it when the lookup is turned on).
    resource contactsTable 'tables' = {
      name: 'contacts'
    }

    // Name fixed by the app: Megafon.Core.Elma365.Module.Elma365WebhookAddresses.TableName. Holds
    // the webhook address the ELMA365 module registered.
    resource settingsTable 'tables' = {
      name: 'settings'
    }
  }
}

// Least privilege for what the app does with this account:
// - Blob Data Owner: the Functions host keeps its keys, leases and timers in blobs, and Flex
//   Consumption reads (and azd writes) the deployment package through the same identity.
// - Queue Data Contributor: the queue trigger (peek, dequeue, delete, move to poison) and the
//   webhook function's enqueue.
// - Table Data Contributor: the per-call state in the "calls" table, the "contacts" cache, the
//   module's webhook address in "settings".
var storageRoles = [
  types.roles.storageBlobDataOwner
  types.roles.storageQueueDataContributor
  types.roles.storageTableDataContributor
]

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storage.id, identity.id, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// The archive's own needs, stated on their own so they hold even if the host's account-wide
// Blob Data Owner above is narrowed one day (today it already covers both):
// - Blob Data Contributor on the "recordings" container only: write the archive, read it back.
// - Blob Delegator on the account (the narrowest scope its action has): ask for the user delegation
//   key that signs GetCallLink's read-only links. The key cannot grant more than the identity has.
resource recordingsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::recordingsContainer.id, identity.id, types.roles.storageBlobDataContributor)
  scope: storage::blobService::recordingsContainer
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      types.roles.storageBlobDataContributor
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource recordingsDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, types.roles.storageBlobDelegator)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      types.roles.storageBlobDelegator
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

@description('Name of the storage account.')
output name string = storage.name

@description('Blob service endpoint (https, trailing slash).')
output blobEndpoint string = storage.properties.primaryEndpoints.blob

@description('Queue service endpoint (https, trailing slash).')
output queueEndpoint string = storage.properties.primaryEndpoints.queue

@description('Table service endpoint (https, trailing slash).')
output tableEndpoint string = storage.properties.primaryEndpoints.table
