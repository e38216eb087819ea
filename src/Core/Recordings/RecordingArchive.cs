using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Elma365.Module;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Recordings;

/// <summary>
/// Where the pipeline meets the archive: asks for a call's recording to be archived once its link
/// is stored, and shapes what ELMA365 keeps accordingly. With <c>Recordings__Archive=false</c> it
/// does nothing at all.
/// </summary>
public sealed class RecordingArchive(RecordingQueues queues, IOptions<RecordingsOptions> options, TimeProvider time)
{
    public bool Enabled { get; } = options.Value.Archive;

    /// <summary>
    /// Queues the archiving of <paramref name="acceptedLink"/> when the call's stored state holds
    /// that link and no archive yet. Called after every write that stores a link, and again when a
    /// history with the link repeats, so a crash between the write and this call is healed by the
    /// retry. A second request for the same call is harmless: the archiver checks first.
    /// </summary>
    public async Task RequestAsync(string callId, CallState stored, string? acceptedLink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!Enabled || acceptedLink is null || stored.Link != acceptedLink || stored.RecordingBlob is not null)
        {
            return;
        }

        await queues.EnqueueAsync(new RecordingQueueMessage(callId, acceptedLink, stored.StartedAt, time.GetUtcNow()), visibilityDelay: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What ELMA365 stores with the call (<c>call</c>) must not be the PBX's link when recordings are
    /// archived: that link dies in about a week, and a record without one makes the module ask the
    /// bridge (GetCallLink) each time, which answers a fresh link to the archive.
    /// </summary>
    public Elma365Message ForElma365(Elma365Message message) =>
        Enabled && message is Elma365CallRecord { Call.Link: not null } record
            ? record with { Call = record.Call with { Link = null } }
            : message;
}
