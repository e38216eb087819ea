using Megafon.Core.Configuration;
using Megafon.Core.Elma365.Api;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Contacts;

/// <summary>
/// The telephony module's «Настроить» mapping (ELMA365 user → PBX number), kept in memory for
/// <c>Contact__BindingsCacheTtl</c>. One fetch at a time whoever asks, not bound to any one
/// caller's budget, so a slow ELMA365 still fills it for the next call; when a refresh fails the
/// previous mapping keeps serving.
/// </summary>
public sealed class VoipBindingsCache(Elma365ApiClient api, IOptions<Elma365ApiOptions> elma, IOptions<ContactOptions> contact, TimeProvider time)
{
    // A fetch on its own: ELMA365 lists bindings quickly, and it serves every later call.
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    // After a failed fetch with nothing to fall back on, calls go without routing for this long
    // instead of each asking again (a token without admin rights would fail every time).
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, string>? _numbers;
    private DateTimeOffset _expires;
    private Task<IReadOnlyDictionary<string, string>>? _refresh;
    private Elma365ApiException? _failure;
    private DateTimeOffset _retryAt;

    /// <summary>User id → PBX number; throws <see cref="Elma365ApiException"/> when there is no mapping at all to give.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(CancellationToken cancellationToken)
    {
        Task<IReadOnlyDictionary<string, string>> refresh;
        IReadOnlyDictionary<string, string>? stale;
        lock (_gate)
        {
            if (_numbers is not null && time.GetUtcNow() < _expires)
            {
                return _numbers;
            }

            if (_numbers is null && _failure is not null && time.GetUtcNow() < _retryAt)
            {
                throw new Elma365ApiException(_failure.Failure, $"{_failure.Message} (not asked again until {_retryAt:HH:mm:ss} UTC)", _failure.StatusCode);
            }

            stale = _numbers;
            refresh = _refresh ??= RefreshAsync();
        }

        try
        {
            return await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Elma365ApiException) when (stale is not null)
        {
            return stale;
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> RefreshAsync()
    {
        // Off the caller's stack, so the lock above is never held across it.
        await Task.Yield();
        try
        {
            using var timeout = new CancellationTokenSource(FetchTimeout, time);
            var bindings = await api.GetVoipBindingsAsync(elma.Value.ModuleCode, timeout.Token).ConfigureAwait(false);
            var numbers = ContactPicker.NumbersByUser(bindings.Select(b => (b.Extension, b.UserId)));
            lock (_gate)
            {
                _numbers = numbers;
                _expires = time.GetUtcNow() + contact.Value.BindingsCacheTtl;
                _failure = null;
            }

            return numbers;
        }
        catch (OperationCanceledException e)
        {
            var timeout = new Elma365ApiException(Elma365ApiFailure.Timeout, "ELMA365 did not give the module's bindings in time.", null, e);
            Remember(timeout);
            throw timeout;
        }
        catch (Elma365ApiException e)
        {
            Remember(e);
            throw;
        }
        finally
        {
            lock (_gate)
            {
                _refresh = null;
            }
        }
    }

    private void Remember(Elma365ApiException e)
    {
        lock (_gate)
        {
            _failure = e;
            _retryAt = time.GetUtcNow() + RetryAfterFailure;
        }
    }
}
