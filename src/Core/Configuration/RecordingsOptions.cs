using System.ComponentModel.DataAnnotations;

namespace Megafon.Core.Configuration;

/// <summary>
/// Archiving call recordings into the storage account's <c>recordings</c> container. The PBX keeps
/// a recording about a week; the archive keeps it for <see cref="RetentionDays"/>.
/// </summary>
public sealed class RecordingsOptions
{
    public const string Section = "Recordings";

    /// <summary>
    /// On by default: the PBX deletes recordings after about a week, and a call record whose
    /// recording is gone is what an admin finds out about during a dispute, too late. Off leaves the
    /// bridge exactly as it was before archiving: the PBX's own link, nothing stored.
    /// </summary>
    public bool Archive { get; set; } = true;

    /// <summary>The largest recording archived. A 64 kbit/s MP3 of 3 hours is about 86 MB.</summary>
    [Range(1024L, 1L << 32, ErrorMessage = "Recordings__MaxBytes must be between 1024 and 4294967296 (4 GiB).")]
    public long MaxBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>How long a link GetCallLink hands out stays valid.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Recordings__LinkLifetime must be between 00:00:01 and 7.00:00:00 (a user delegation key lives at most 7 days).")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Days an archived recording is kept; the storage account's lifecycle rule deletes it after that.</summary>
    [Range(1, 36500, ErrorMessage = "Recordings__RetentionDays must be between 1 and 36500.")]
    public int RetentionDays { get; set; } = 365;

    /// <summary>Downloads tried (the PBX answering 404 while the file is not ready, or failing) before the poison queue.</summary>
    [Range(1, 100, ErrorMessage = "Recordings__MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The first retry delay; each further one doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Recordings__FirstRetryDelay must be between 00:00:00.010 and 01:00:00.")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "Recordings__MaxRetryDelay must be between 00:00:00.010 and 1.00:00:00.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>One download slower than this is abandoned and retried; it must end within the host's functionTimeout (5 min).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:04:00", ErrorMessage = "Recordings__DownloadTimeout must be between 00:00:01 and 00:04:00 (host.json functionTimeout is 5 min).")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(3);
}
