using Microsoft.Extensions.Options;

namespace Megafon.Core.Configuration;

/// <summary>
/// Checks what no single setting's range can: a push must end while its call is still claimed.
/// A lease shorter than a push lets the call's next message overtake it mid-push (the end closes
/// the card, then the late ring opens it again, for good).
/// </summary>
public sealed class ProcessingOptionsValidator(IOptions<Elma365Options> elma365) : IValidateOptions<ProcessingOptions>
{
    public ValidateOptionsResult Validate(string? name, ProcessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TimeSpan push;
        try
        {
            push = elma365.Value.Timeout;
        }
        catch (OptionsValidationException)
        {
            // A wrong Elma365__ setting is reported by its own validation, by name; nothing to compare against.
            return ValidateOptionsResult.Skip;
        }

        var least = push + ProcessingOptions.CallLeaseMargin;
        return options.CallLease >= least
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Processing__CallLease ({options.CallLease:c}) must be at least Elma365__Timeout ({push:c}), the longest one push to ELMA365 may take, plus {ProcessingOptions.CallLeaseMargin:c}: "
                + $"a push must end while its call is still claimed, or the call's next message overtakes it. Raise Processing__CallLease to {least:c} or more, or lower Elma365__Timeout.");
    }
}
