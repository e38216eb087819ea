using System.Globalization;
using System.Reflection;

namespace Megafon.DevHost;

/// <summary>Calls a function method: the class comes from DI as the worker would build it, arguments by type and name.</summary>
internal static class FunctionInvoker
{
    public static async Task<object?> InvokeAsync(IServiceProvider services, MethodInfo method, Func<ParameterInfo, object?> bind)
    {
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        var result = method.Invoke(target, [.. method.GetParameters().Select(bind)]);
        switch (result)
        {
            case Task task:
                await task;
                var resultProperty = task.GetType().GetProperty("Result");
                return resultProperty?.PropertyType.Name == "VoidTaskResult" ? null : resultProperty?.GetValue(task);
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                return result;
        }
    }

    public static object? Convert(string? value, Type type) =>
        value is null ? null : type == typeof(string) ? value : System.Convert.ChangeType(value, Nullable.GetUnderlyingType(type) ?? type, CultureInfo.InvariantCulture);
}
