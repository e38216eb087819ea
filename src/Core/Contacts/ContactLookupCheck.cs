using Megafon.Core.Configuration;
using Megafon.Core.Elma365.Api;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Contacts;

/// <summary>
/// The contact lookup's part of «Проверить подключение»: when it is configured, can the token read
/// each app, does the module code give its bindings, and do the apps have the configured fields?
/// Each failure names the setting to fix, in Russian, for the ELMA365 admin who reads it.
/// </summary>
public sealed class ContactLookupCheck(Elma365ApiClient api, IOptions<Elma365ApiOptions> elma, IOptions<ContactOptions> contact)
{
    /// <summary>Null when all is well or the lookup is off; else what to fix.</summary>
    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        if (!elma.Value.IsConfigured)
        {
            return null;
        }

        var options = contact.Value;
        var apps = options.AppList();
        foreach (var app in apps)
        {
            try
            {
                var probe = new Elma365ListRequest(Active: true, Size: 1, new Dictionary<string, bool> { ["*"] = true }, Filter: null, SortExpressions: []);
                await api.ListAsync(app, probe, cancellationToken).ConfigureAwait(false);
            }
            catch (Elma365ApiException e)
            {
                return ForApp(e, app);
            }
        }

        var module = elma.Value.ModuleCode;
        try
        {
            await api.GetVoipBindingsAsync(module, cancellationToken).ConfigureAwait(false);
        }
        catch (Elma365ApiException e)
        {
            return ForBindings(e, module);
        }

        foreach (var app in apps)
        {
            if (await MissingFieldAsync(app, options, cancellationToken).ConfigureAwait(false) is { } missing)
            {
                return missing;
            }
        }

        return null;
    }

    // The scheme is read only to name a mistyped field code; if it cannot be read, the check says nothing.
    private async Task<string?> MissingFieldAsync(Elma365AppRef app, ContactOptions options, CancellationToken cancellationToken)
    {
        Elma365AppScheme scheme;
        try
        {
            scheme = await api.GetAppSchemeAsync(app, cancellationToken).ConfigureAwait(false);
        }
        catch (Elma365ApiException)
        {
            return null;
        }

        var codes = (scheme.Fields ?? []).Select(f => f.Code).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (codes.Count == 0)
        {
            return null;
        }

        foreach (var (setting, code) in new[] { ("Contact__PhoneField", options.PhoneField), ("Contact__NameField", options.NameField), ("Contact__ResponsibleField", options.ResponsibleField) })
        {
            if (!codes.Contains(code))
            {
                return $"В приложении {app} нет поля «{code}»: проверьте настройку {setting}. Коды полей приложения: GET /pub/v1/scheme/namespaces/{app.Namespace}/apps/{app.Code} (поле fields[].code).";
            }
        }

        return null;
    }

    private static string ForApp(Elma365ApiException e, Elma365AppRef app) => e.Failure switch
    {
        Elma365ApiFailure.InvalidToken => $"ELMA365 не приняла токен API: проверьте настройку Elma365__ApiToken (токен из «Администрирование → Токены»; у его пользователя должен быть доступ к {app}). {e.Message}",
        Elma365ApiFailure.WrongAddress => $"Неверный адрес ELMA365: проверьте настройку Elma365__ApiUrl (адрес компании, например https://mycompany.elma365.ru). {e.Message}",
        Elma365ApiFailure.NotFound => $"В ELMA365 нет приложения {app}: проверьте настройку Contact__Apps (и Elma365__ApiUrl — адрес компании без пути). {e.Message}",
        Elma365ApiFailure.BadRequest => $"ELMA365 отклонила поиск в {app}: проверьте Contact__Apps и Contact__PhoneField. {e.Message}",
        _ => $"API ELMA365 недоступен ({e.Reason}): проверьте настройку Elma365__ApiUrl. {e.Message}",
    };

    private static string ForBindings(Elma365ApiException e, string module) => e.Failure switch
    {
        Elma365ApiFailure.InvalidToken => $"ELMA365 не приняла токен API: проверьте настройку Elma365__ApiToken. {e.Message}",
        Elma365ApiFailure.Forbidden => $"Пользователь токена Elma365__ApiToken должен быть администратором ELMA365: без этого сопоставление «Настроить» недоступно и звонки не направляются ответственному. {e.Message}",
        Elma365ApiFailure.NotFound or Elma365ApiFailure.BadRequest => $"Модуль телефонии «{module}» не найден, выключен или не является модулем телефонии: проверьте настройку Elma365__ModuleCode (код из адреса модуля, например ext_…). {e.Message}",
        _ => $"Сопоставление «Настроить» модуля «{module}» недоступно ({e.Reason}): проверьте Elma365__ModuleCode и Elma365__ApiUrl. {e.Message}",
    };
}
