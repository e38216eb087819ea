using Megafon.Core.Reconciliation;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Megafon.DevHost;

/// <summary>
/// Runs one timer-triggered function the way the Functions timer trigger does: the schedule is the
/// attribute's, with <c>%Setting%</c> resolved like the worker hands it to the host (an unset setting
/// is its documented default), read as NCRONTAB with the host's rule (six fields: seconds first) in
/// local time; one invocation at a time, an occurrence missed while one runs is skipped, a failure is
/// logged and the schedule goes on. Not emulated: the host's schedule monitor (past-due runs after a restart).
/// </summary>
internal sealed partial class TimerTriggerListener(
    TimerFunction function,
    CrontabSchedule schedule,
    string expression,
    IServiceProvider services,
    TimeProvider time,
    ILogger<TimerTriggerListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogScheduled(logger, function.Name, expression);
        DateTime? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetLocalNow().DateTime;
            var next = schedule.GetNextOccurrence(now);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var following = schedule.GetNextOccurrence(next);
            var timer = new TimerInfo
            {
                IsPastDue = false,
                ScheduleStatus = new ScheduleStatus { Last = last ?? default, Next = following, LastUpdated = next },
            };
            try
            {
                await using var scope = services.CreateAsyncScope();
                await FunctionInvoker.InvokeAsync(scope.ServiceProvider, function.Method, parameter => parameter.ParameterType switch
                {
                    var t when t == typeof(TimerInfo) => timer,
                    var t when t == typeof(CancellationToken) => stoppingToken,
                    var t => throw new NotSupportedException($"The DevHost cannot bind {t.Name} for {function.Name}."),
                });
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e, function.Name);
            }

            last = next;
        }
    }

    /// <summary>The schedule of a timer function as the host would run it, or why it cannot run.</summary>
    public static CrontabSchedule Schedule(TimerFunction function, TimerScheduleResolver resolver, out string expression)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(resolver);
        expression = resolver.Resolve(function.Trigger.Schedule);
        return ReconcileSchedule.TryParse(expression)
            ?? throw new InvalidOperationException($"The schedule '{expression}' of {function.Name} is not an NCRONTAB expression.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer function {Function} runs on '{Schedule}'")]
    private static partial void LogScheduled(ILogger logger, string function, string schedule);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed; the schedule goes on")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function);
}
