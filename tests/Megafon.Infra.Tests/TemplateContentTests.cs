using System.Text.Json;
using System.Text.RegularExpressions;

namespace Megafon.Infra.Tests;

/// <summary>What the compiled ARM template provisions, read from the JSON bicep emits.</summary>
public sealed partial class TemplateContentTests
{
    /// <summary>App setting names fixed by the app ("__" separates configuration sections).</summary>
    public static readonly TheoryData<string> RequiredAppSettings = new(
    [
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "Vats__Endpoint",
        "Vats__ApiKey",
        "Vats__CrmToken",
        "Vats__RecordingHosts",
        "Elma365__WebhookUrl",
        "Elma365__Token",
        "Elma365__ModuleKey",
        "Recordings__Archive",
        "Recordings__RetentionDays",
    ]);

    public static readonly TheoryData<string> KeyVaultBackedSettings = new(["Vats__ApiKey", "Vats__CrmToken", "Elma365__Token", "Elma365__ModuleKey"]);

    [Theory]
    [InlineData("vats-events")]
    [InlineData("vats-events-poison")]
    [InlineData("recordings")]
    [InlineData("recordings-poison")]
    public async Task The_storage_account_has_the_queue(string queue)
    {
        var template = await CompiledTemplate.GetAsync();

        var queues = template.Resources("Microsoft.Storage/storageAccounts/queueServices/queues");
        Assert.Contains(queues, q => q.IsNamed(queue));
    }

    [Fact]
    public async Task The_storage_account_has_the_calls_contacts_and_settings_tables_and_private_deployment_and_recordings_containers()
    {
        var template = await CompiledTemplate.GetAsync();

        Assert.Contains(template.Resources("Microsoft.Storage/storageAccounts/tableServices/tables"), t => t.IsNamed("calls"));
        Assert.Contains(template.Resources("Microsoft.Storage/storageAccounts/tableServices/tables"), t => t.IsNamed("settings"));
        Assert.Contains(template.Resources("Microsoft.Storage/storageAccounts/tableServices/tables"), t => t.IsNamed("contacts"));
        var containers = template.Resources("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal(2, containers.Count);
        Assert.Contains(containers, c => c.IsNamed("recordings"));
        Assert.Contains(containers, c => c.Name.Contains("deploymentContainerName", StringComparison.Ordinal));
        Assert.All(containers, c => Assert.Equal("None", c.Properties.GetProperty("publicAccess").GetString()));
    }

    [Fact]
    public async Task Archived_recordings_turn_cool_after_30_days_and_are_deleted_after_the_retention()
    {
        var template = await CompiledTemplate.GetAsync();

        var policy = template.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        Assert.True(policy.IsNamed("default"));
        var rule = Assert.Single(policy.Properties.GetProperty("policy").GetProperty("rules").EnumerateArray());
        Assert.True(rule.GetProperty("enabled").GetBoolean());
        var definition = rule.GetProperty("definition");
        Assert.Equal(["recordings/"], definition.GetProperty("filters").GetProperty("prefixMatch").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["blockBlob"], definition.GetProperty("filters").GetProperty("blobTypes").EnumerateArray().Select(p => p.GetString()));

        // One expression: cool at 30 days (only when the retention is longer), delete at the retention.
        var actions = definition.GetProperty("actions").GetProperty("baseBlob").GetString()!;
        Assert.Contains("createObject('tierToCool', createObject('daysAfterModificationGreaterThan', variables('recordingCoolAfterDays')))", actions, StringComparison.Ordinal);
        Assert.Contains("createObject('delete', createObject('daysAfterModificationGreaterThan', parameters('recordingRetentionDays')))", actions, StringComparison.Ordinal);
        var storage = template.Templates().Single(t => t.Module == "storage").Template;
        Assert.Equal(30, storage.GetProperty("variables").GetProperty("recordingCoolAfterDays").GetInt32());

        // The app reads the same number, and both default to a year.
        var retention = template.Root.GetProperty("parameters").GetProperty("recordingRetentionDays");
        Assert.Equal(365, retention.GetProperty("defaultValue").GetInt32());
        Assert.Contains("recordingRetentionDays", (await AppSettingsAsync()).GetProperty("Recordings__RetentionDays").GetString(), StringComparison.Ordinal);
        Assert.True(template.Root.GetProperty("parameters").GetProperty("archiveRecordings").GetProperty("defaultValue").GetBoolean());
    }

    [Fact]
    public async Task The_archive_gets_blob_data_on_the_recordings_container_only_and_the_delegator_role_on_the_account()
    {
        var assignments = (await CompiledTemplate.GetAsync()).Resources("Microsoft.Authorization/roleAssignments");

        var contributor = Assert.Single(assignments, a => a.Properties.GetProperty("roleDefinitionId").GetString()!.Contains("storageBlobDataContributor", StringComparison.Ordinal));
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('name'), 'default', 'recordings')]", contributor.Body.GetProperty("scope").GetString());
        var delegator = Assert.Single(assignments, a => a.Properties.GetProperty("roleDefinitionId").GetString()!.Contains("storageBlobDelegator", StringComparison.Ordinal));
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]", delegator.Body.GetProperty("scope").GetString());

        var roles = (await CompiledTemplate.GetAsync()).Templates().Single(t => t.Module == "storage").Template.GetProperty("variables").GetProperty("_1.roles");
        Assert.Equal("ba92f5b4-2d11-453d-a403-e96b0029c9fe", roles.GetProperty("storageBlobDataContributor").GetString());
        Assert.Equal("db58b8e5-c6ad-4a2a-8342-4190687cbf4a", roles.GetProperty("storageBlobDelegator").GetString());
    }

    [Fact]
    public async Task The_storage_account_accepts_no_shared_keys_and_no_anonymous_or_plain_http_access()
    {
        var storage = (await CompiledTemplate.GetAsync()).Single("Microsoft.Storage/storageAccounts");

        Assert.Equal("StorageV2", storage.Body.GetProperty("kind").GetString());
        var p = storage.Properties;
        Assert.False(p.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(p.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.True(p.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", p.GetProperty("minimumTlsVersion").GetString());
    }

    [Fact]
    public async Task The_app_runs_on_a_Flex_Consumption_plan_with_dotnet_isolated_10()
    {
        var template = await CompiledTemplate.GetAsync();

        var plan = template.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.Body.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.Body.GetProperty("sku").GetProperty("tier").GetString());

        var site = template.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.Body.GetProperty("kind").GetString());
        Assert.True(site.Properties.GetProperty("httpsOnly").GetBoolean());
        var config = site.Properties.GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.True(config.GetProperty("scaleAndConcurrency").TryGetProperty("instanceMemoryMB", out _));
        Assert.True(config.GetProperty("scaleAndConcurrency").TryGetProperty("maximumInstanceCount", out _));
        Assert.True(config.GetProperty("scaleAndConcurrency").GetProperty("triggers").GetProperty("http").TryGetProperty("perInstanceConcurrency", out _));

        var storage = config.GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", storage.GetProperty("authentication").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(storage.GetProperty("authentication").GetProperty("userAssignedIdentityResourceId").GetString()));

        var memory = template.Root.GetProperty("parameters").GetProperty("instanceMemoryMB");
        Assert.Equal(2048, memory.GetProperty("defaultValue").GetInt32());
    }

    [Fact]
    public async Task The_HTTP_group_and_ProcessVatsEvent_are_always_ready_and_the_scale_out_caps_the_pushes_ELMA365_sees_at_once()
    {
        var template = await CompiledTemplate.GetAsync();
        var scale = template.Single("Microsoft.Web/sites").Properties.GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency");

        var alwaysReady = scale.GetProperty("alwaysReady").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("instanceCount").GetString());
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["http"] = "[parameters('httpAlwaysReadyInstances')]",
                ["function:ProcessVatsEvent"] = "[parameters('processVatsEventAlwaysReadyInstances')]",
            },
            alwaysReady);

        // "function:<name>" must name the queue function as the worker declares it.
        var queueFunction = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "src", "Functions", "Queue", "ProcessVatsEvent.cs"));
        Assert.Contains("[Function(nameof(ProcessVatsEvent))]", queueFunction, StringComparison.Ordinal);

        var parameters = template.Root.GetProperty("parameters");
        Assert.Equal(1, parameters.GetProperty("httpAlwaysReadyInstances").GetProperty("defaultValue").GetInt32());
        Assert.Equal(1, parameters.GetProperty("processVatsEventAlwaysReadyInstances").GetProperty("defaultValue").GetInt32());
        Assert.Equal(0, parameters.GetProperty("httpAlwaysReadyInstances").GetProperty("minValue").GetInt32());

        // An outage makes the queue long (retries waiting invisibly count too), which scales the queue
        // function out: the default ceiling keeps the pushes at once to hundreds, not thousands.
        using var hostJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "host.json")));
        var queues = hostJson.RootElement.GetProperty("extensions").GetProperty("queues");
        var perInstance = queues.GetProperty("batchSize").GetInt32() + queues.GetProperty("newBatchThreshold").GetInt32();
        var ceiling = parameters.GetProperty("maximumInstanceCount").GetProperty("defaultValue").GetInt32();
        Assert.InRange(ceiling * perInstance, perInstance, 500);
    }

    [Fact]
    public async Task The_app_runs_as_the_user_assigned_identity_and_resolves_Key_Vault_references_with_it()
    {
        var site = (await CompiledTemplate.GetAsync()).Single("Microsoft.Web/sites");

        Assert.Equal("UserAssigned", site.Body.GetProperty("identity").GetProperty("type").GetString());
        var referenceIdentity = site.Properties.GetProperty("keyVaultReferenceIdentity").GetString();
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", referenceIdentity, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_is_tagged_for_the_azd_service_api()
    {
        var site = (await CompiledTemplate.GetAsync()).Single("Microsoft.Web/sites");

        var tags = site.Body.GetProperty("tags").ToString();
        Assert.Contains("azd-service-name", tags, StringComparison.Ordinal);
        Assert.Contains("'api'", tags, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_resource_with_a_location_is_tagged_and_the_tags_name_the_azd_environment()
    {
        var template = await CompiledTemplate.GetAsync();

        var untagged = template.Resources()
            .Where(r => r.Body.TryGetProperty("location", out _) && !r.Body.TryGetProperty("tags", out _))
            .Select(r => $"{r.Module}/{r.Symbol}")
            .ToList();
        Assert.True(untagged.Count == 0, $"Untagged: {string.Join(", ", untagged)}");

        var tags = template.Root.GetProperty("variables").GetProperty("tags");
        Assert.True(tags.TryGetProperty("azd-env-name", out _), tags.ToString());
    }

    [Theory]
    [MemberData(nameof(RequiredAppSettings))]
    public async Task The_app_setting_is_set(string name)
    {
        var settings = await AppSettingsAsync();

        Assert.True(settings.TryGetProperty(name, out var value), $"{name} is missing; settings: {string.Join(", ", settings.EnumerateObject().Select(p => p.Name))}");
        Assert.False(string.IsNullOrEmpty(value.GetString()) && name != "Vats__RecordingHosts", $"{name} is empty.");
    }

    [Fact]
    public async Task Host_storage_is_identity_based()
    {
        var settings = await AppSettingsAsync();

        Assert.Equal("managedidentity", settings.GetProperty("AzureWebJobsStorage__credential").GetString());
        Assert.False(settings.TryGetProperty("AzureWebJobsStorage", out _), "A plain AzureWebJobsStorage setting would be a connection string.");
        Assert.Contains("Authorization=AAD", settings.GetProperty("APPLICATIONINSIGHTS_AUTHENTICATION_STRING").GetString(), StringComparison.Ordinal);
        Assert.Contains("ClientId=", settings.GetProperty("APPLICATIONINSIGHTS_AUTHENTICATION_STRING").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    [InlineData("APPINSIGHTS_INSTRUMENTATIONKEY")]
    public async Task Settings_that_Flex_Consumption_rejects_or_that_carry_keys_are_absent(string name)
    {
        var settings = await AppSettingsAsync();

        Assert.False(settings.TryGetProperty(name, out _), $"{name} must not be set on a Flex Consumption app.");
    }

    [Theory]
    [MemberData(nameof(KeyVaultBackedSettings))]
    public async Task The_secret_setting_is_a_Key_Vault_reference(string name)
    {
        var value = (await AppSettingsAsync()).GetProperty(name).GetString();

        Assert.Matches(@"^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}\)'", value);
    }

    [Fact]
    public async Task The_Key_Vault_uses_RBAC_soft_delete_and_purge_protection_and_holds_the_four_secrets()
    {
        var template = await CompiledTemplate.GetAsync();

        var vault = template.Single("Microsoft.KeyVault/vaults").Properties;
        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(vault.GetProperty("enableSoftDelete").GetBoolean());
        Assert.True(vault.GetProperty("enablePurgeProtection").GetBoolean());

        var values = template.Resources("Microsoft.KeyVault/vaults/secrets")
            .Select(s => s.Properties.GetProperty("value").GetString())
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["[parameters('elma365ModuleKey')]", "[parameters('elma365Token')]", "[parameters('vatsApiKey')]", "[parameters('vatsCrmToken')]"], values);
    }

    [Fact]
    public async Task The_app_has_a_host_key_named_elma365_whose_value_is_the_bridge_key_kept_in_Key_Vault()
    {
        var template = await CompiledTemplate.GetAsync();

        var key = template.Single("Microsoft.Web/sites/host/functionKeys");
        Assert.EndsWith("'default', 'elma365')]", key.Name, StringComparison.Ordinal);
        Assert.Equal("elma365", key.Properties.GetProperty("name").GetString());
        Assert.Equal("[parameters('elma365ModuleKey')]", key.Properties.GetProperty("value").GetString());

        // One value in three places: the host key, the Key Vault secret the app setting reads, and
        // so the app's Elma365__ModuleKey. Main hands both modules its one parameter.
        foreach (var module in new[] { "keyVault", "functionApp" })
        {
            var deployment = template.Resources("Microsoft.Resources/deployments").Single(d => d.Symbol == module && d.Module == "main");
            Assert.Equal("[parameters('elma365ModuleKey')]", deployment.Properties.GetProperty("parameters").GetProperty("elma365ModuleKey").GetProperty("value").GetString());
        }

        Assert.Contains("elma365ModuleKeyUri", (await AppSettingsAsync()).GetProperty("Elma365__ModuleKey").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azd_generates_the_bridge_key_once_letters_and_digits_only_unless_the_environment_sets_it()
    {
        var parameter = (await CompiledTemplate.GetAsync()).Root.GetProperty("parameters").GetProperty("elma365ModuleKey");

        var azd = parameter.GetProperty("metadata").GetProperty("azd");
        Assert.Equal("generate", azd.GetProperty("type").GetString());
        Assert.True(azd.GetProperty("config").GetProperty("length").GetInt32() >= 32);
        Assert.True(azd.GetProperty("config").GetProperty("noSpecial").GetBoolean());
    }

    [Fact]
    public void The_only_suppressed_diagnostics_are_the_missing_types_of_the_host_key()
    {
        var suppressions = Repository.BicepFiles()
            .SelectMany(file =>
            {
                var lines = File.ReadAllLines(Path.Combine(Repository.Infra, file));
                return lines.Select((line, i) => (file, line: line.Trim(), next: i + 1 < lines.Length ? lines[i + 1].Trim() : string.Empty))
                    .Where(x => x.line.StartsWith("#disable", StringComparison.Ordinal));
            })
            .ToList();

        Assert.Equal(2, suppressions.Count);
        Assert.All(suppressions, s =>
        {
            Assert.Equal("#disable-next-line BCP081", s.line);
            Assert.Matches(@"^resource \w+ 'Microsoft\.Web/sites/host(/functionKeys)?@", s.next);
        });
    }

    [Fact]
    public async Task Application_Insights_is_workspace_based_and_takes_Entra_ID_ingestion_only()
    {
        var component = (await CompiledTemplate.GetAsync()).Single("Microsoft.Insights/components").Properties;

        Assert.False(string.IsNullOrEmpty(component.GetProperty("WorkspaceResourceId").GetString()));
        Assert.True(component.GetProperty("DisableLocalAuth").GetBoolean());
    }

    [Fact]
    public async Task The_identity_gets_exactly_the_seven_least_privilege_roles()
    {
        var template = await CompiledTemplate.GetAsync();

        string[] expected =
        [
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
            "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
            "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor (the recordings container)
            "db58b8e5-c6ad-4a2a-8342-4190687cbf4a", // Storage Blob Delegator
        ];
        string[] tooBroad =
        [
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
            "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
            "17d1049b-9a84-46fb-8f53-869881c3d3ab", // Storage Account Contributor
            "81a9662b-bebf-436f-a333-f67b29880f12", // Storage Account Key Operator Service Role
            "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
            "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Key Vault Secrets Officer
        ];
        var guids = Guid().Matches(template.Json).Select(m => m.Value.ToLowerInvariant()).ToHashSet();
        Assert.All(expected, g => Assert.Contains(g, guids));
        Assert.All(tooBroad, g => Assert.DoesNotContain(g, guids));

        var assignments = template.Resources("Microsoft.Authorization/roleAssignments");
        var granted = assignments.Sum(a => InstanceCount(template, a));
        Assert.Equal(expected.Length, granted);
        Assert.All(assignments, a =>
        {
            Assert.StartsWith("[guid(", a.Name, StringComparison.Ordinal);
            Assert.Equal("ServicePrincipal", a.Properties.GetProperty("principalType").GetString());
            Assert.Contains("Microsoft.Authorization/roleDefinitions", a.Properties.GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Nothing_in_the_template_is_or_fetches_a_storage_key()
    {
        var template = await CompiledTemplate.GetAsync();

        foreach (var forbidden in new[] { "AccountKey=", "listKeys(", "DefaultEndpointsProtocol", "SharedAccessSignature", "listAccountSas(" })
        {
            Assert.DoesNotContain(forbidden, template.Json, StringComparison.OrdinalIgnoreCase);
        }

        var keyLike = PropertyNames(template.Root).Where(n => KeyLikeProperty().IsMatch(n)).Distinct().ToList();
        Assert.True(keyLike.Count == 0, $"Key-like properties: {string.Join(", ", keyLike)}");
    }

    [Theory]
    [InlineData("vatsApiKey", 8)]
    [InlineData("vatsCrmToken", 16)]
    [InlineData("elma365Token", 8)]
    [InlineData("elma365ModuleKey", 16)]
    public async Task The_secret_parameter_is_secure_and_has_a_minimum_length(string name, int minLength)
    {
        var parameter = (await CompiledTemplate.GetAsync()).Root.GetProperty("parameters").GetProperty(name);

        Assert.Equal("securestring", parameter.GetProperty("type").GetString());
        Assert.True(parameter.GetProperty("minLength").GetInt32() >= minLength);
        Assert.False(parameter.TryGetProperty("defaultValue", out _), $"{name} must not have a default.");
    }

    [Fact]
    public async Task Every_parameter_named_like_a_secret_in_any_template_is_secure()
    {
        var template = await CompiledTemplate.GetAsync();

        var insecure = template.Templates()
            .SelectMany(t => t.Template.TryGetProperty("parameters", out var ps) ? ps.EnumerateObject().Select(p => (t.Module, p)) : [])
            .Where(x => SecretLikeName().IsMatch(x.p.Name) && x.p.Value.GetProperty("type").GetString() != "securestring")
            .Select(x => $"{x.Module}.{x.p.Name}")
            .ToList();
        Assert.True(insecure.Count == 0, $"Not secure: {string.Join(", ", insecure)}");
    }

    [Theory]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("AZURE_FUNCTION_APP_HOSTNAME")]
    [InlineData("VATS_WEBHOOK_URL")]
    [InlineData("AZURE_KEY_VAULT_NAME")]
    public async Task The_template_outputs(string name)
    {
        var outputs = (await CompiledTemplate.GetAsync()).Root.GetProperty("outputs");

        Assert.True(outputs.TryGetProperty(name, out var output), $"No output {name}.");
        Assert.Equal("string", output.GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_webhook_output_is_the_https_address_of_the_VatsWebhook_route()
    {
        var value = (await CompiledTemplate.GetAsync()).Root.GetProperty("outputs").GetProperty("VATS_WEBHOOK_URL").GetProperty("value").GetString();

        Assert.Matches(@"^\[format\('https://\{0\}/api/vats/webhook'", value);
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex("(?i)(account|storage|primary|secondary|sharedaccess)_?key")]
    private static partial Regex KeyLikeProperty();

    [GeneratedRegex("(?i)(key|token|secret|password)$")]
    private static partial Regex SecretLikeName();

    /// <summary>1, or the length of the variable array a copy loop iterates over.</summary>
    private static int InstanceCount(CompiledTemplate template, TemplateResource resource)
    {
        if (!resource.Body.TryGetProperty("copy", out var copy))
        {
            return 1;
        }

        var count = copy.GetProperty("count").GetString() ?? string.Empty;
        var match = LengthOfVariable().Match(count);
        Assert.True(match.Success, $"{resource.Symbol}: cannot count a loop over {count}.");
        var module = template.Templates().Single(t => t.Module == resource.Module).Template;
        return module.GetProperty("variables").GetProperty(match.Groups[1].Value).GetArrayLength();
    }

    [GeneratedRegex(@"^\[length\(variables\('([^']+)'\)\)\]$")]
    private static partial Regex LengthOfVariable();

    private static async Task<JsonElement> AppSettingsAsync()
    {
        var template = await CompiledTemplate.GetAsync();
        var config = template.Resources("Microsoft.Web/sites/config").Where(c => c.Name.Contains("appsettings", StringComparison.Ordinal)).ToList();
        return Assert.Single(config).Properties;
    }

    private static IEnumerable<string> PropertyNames(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    yield return property.Name;
                    foreach (var name in PropertyNames(property.Value))
                    {
                        yield return name;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var name in PropertyNames(item))
                    {
                        yield return name;
                    }
                }

                break;
        }
    }
}
