using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLoop.Hosting;

/// <summary>Registers <see cref="LoopHostedService"/>s with a host's services.</summary>
public static class LoopHostingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TService"/> once as a singleton, and as a hosted service that
    /// the host starts and stops: the same instance, so other services can inject it and hand its
    /// loop work. Calling it again for the same type adds nothing.
    /// </summary>
    public static IServiceCollection AddLoopHostedService<TService>(this IServiceCollection services)
        where TService : LoopHostedService
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TService>();
        services.AddHostedService(provider => provider.GetRequiredService<TService>());
        return services;
    }
}
