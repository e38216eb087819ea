using Megafon.Core.Http;
using Megafon.Core.Vats.Api;

namespace Megafon.Core.Telephony;

/// <summary>Maps PBX failures onto answers for ELMA365: 504 when the PBX was too slow, 502 otherwise.</summary>
internal static class PbxErrors
{
    public static ApiResult ToApiResult(this VatsApiException e) =>
        ApiResult.Error(e.Failure == VatsApiFailure.Timeout ? 504 : 502, Code(e.Failure), e.Message);

    /// <summary>What an ELMA365 admin reads under «Проверить подключение».</summary>
    public static string ForAdmin(this VatsApiException e) => e.Failure switch
    {
        VatsApiFailure.InvalidToken => $"АТС не приняла ключ: проверьте настройку Vats__ApiKey (ключ из карточки «Интеграция с CRM»). {e.Message}",
        VatsApiFailure.WrongAddress => $"Неверный адрес АТС: проверьте настройку Vats__Endpoint (https://vatsNNNNNN.megapbx.ru/sys/crm_api.wcgp). {e.Message}",
        VatsApiFailure.InvalidParameters => $"АТС отклонила запрос. {e.Message}",
        VatsApiFailure.Timeout => $"АТС не ответила вовремя. {e.Message}",
        _ => $"АТС недоступна. {e.Message}",
    };

    private static string Code(VatsApiFailure failure) => failure switch
    {
        VatsApiFailure.InvalidToken => "pbx_invalid_token",
        VatsApiFailure.InvalidParameters => "pbx_invalid_parameters",
        VatsApiFailure.WrongAddress => "pbx_wrong_address",
        VatsApiFailure.Timeout => "pbx_timeout",
        _ => "pbx_unavailable",
    };
}
