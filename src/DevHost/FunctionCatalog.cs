using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.DevHost;

/// <summary>The function methods of the Functions assembly, found the way the Functions SDK finds them.</summary>
public sealed class FunctionCatalog
{
    public FunctionCatalog(Assembly functionsAssembly)
    {
        ArgumentNullException.ThrowIfNull(functionsAssembly);
        var functions = functionsAssembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .ToList();

        Http = [.. functions.Select(HttpFunction.TryCreate).OfType<HttpFunction>()];
        Queue = [.. functions.Select(QueueFunction.TryCreate).OfType<QueueFunction>()];
        Timer = [.. functions.Select(TimerFunction.TryCreate).OfType<TimerFunction>()];
        if (Http.Count + Queue.Count + Timer.Count != functions.Count)
        {
            var unsupported = functions.Where(m => Http.All(h => h.Method != m) && Queue.All(q => q.Method != m) && Timer.All(t => t.Method != m)).Select(m => m.Name);
            throw new NotSupportedException($"The DevHost cannot serve these functions' triggers: {string.Join(", ", unsupported)}.");
        }
    }

    public IReadOnlyList<HttpFunction> Http { get; }

    public IReadOnlyList<QueueFunction> Queue { get; }

    public IReadOnlyList<TimerFunction> Timer { get; }
}

public sealed record HttpFunction(string Name, MethodInfo Method, HttpTriggerAttribute Trigger, ParameterInfo TriggerParameter)
{
    /// <summary>The route below host.json's routePrefix: the trigger's, else the function's name.</summary>
    public string Route => Trigger.Route ?? Name;

    public IReadOnlyList<string> Verbs => Trigger.Methods is { Length: > 0 } m ? [.. m.Select(v => v.ToUpperInvariant())] : ["GET", "POST"];

    public static HttpFunction? TryCreate(MethodInfo method) =>
        method.GetParameters().FirstOrDefault(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null) is { } parameter
            ? new HttpFunction(method.GetCustomAttribute<FunctionAttribute>()!.Name, method, parameter.GetCustomAttribute<HttpTriggerAttribute>()!, parameter)
            : null;
}

public sealed record QueueFunction(string Name, MethodInfo Method, QueueTriggerAttribute Trigger, ParameterInfo TriggerParameter)
{
    public static QueueFunction? TryCreate(MethodInfo method) =>
        method.GetParameters().FirstOrDefault(p => p.GetCustomAttribute<QueueTriggerAttribute>() is not null) is { } parameter
            ? new QueueFunction(method.GetCustomAttribute<FunctionAttribute>()!.Name, method, parameter.GetCustomAttribute<QueueTriggerAttribute>()!, parameter)
            : null;
}

public sealed record TimerFunction(string Name, MethodInfo Method, TimerTriggerAttribute Trigger, ParameterInfo TriggerParameter)
{
    public static TimerFunction? TryCreate(MethodInfo method) =>
        method.GetParameters().FirstOrDefault(p => p.GetCustomAttribute<TimerTriggerAttribute>() is not null) is { } parameter
            ? new TimerFunction(method.GetCustomAttribute<FunctionAttribute>()!.Name, method, parameter.GetCustomAttribute<TimerTriggerAttribute>()!, parameter)
            : null;
}
