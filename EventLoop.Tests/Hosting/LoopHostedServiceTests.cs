using EventLoop.Hosting;
using EventLoop.Tests.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventLoop.Tests.Hosting;

/// <summary>
/// A LoopHostedService inside a real generic host: started and stopped with it. Real threads by
/// nature: every wait is bounded (<see cref="Patience"/>) and none is used as synchronization.
/// </summary>
public class LoopHostedServiceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>What the test wants the service to do; one instance a test, shared with the host.</summary>
    public sealed class Script
    {
        public Func<Loop, LoopTask> Initialize = _ => LoopTask.CompletedTask;
        public Func<Loop, LoopTask> Execute = loop => loop.Delay(Timeout.InfiniteTimeSpan);
    }

    public sealed class ScriptedService(Script script, CapturingLoggerFactory logs)
        : LoopHostedService(new LoopOptions { LoggerFactory = logs })
    {
        public bool Initialized;
        public bool ExecuteFinallyRanOnTheLoop;

        public Task Completion => LoopThread.Completion;

        public Task<int> CountOnTheLoopAsync() => LoopThread.InvokeAsync(() => LoopTask.FromResult(Loop.Current is null ? 0 : 1));

        protected override async LoopTask InitializeAsync(Loop loop)
        {
            await loop.Yield(); // the host's start must wait past the first await
            await script.Initialize(loop);
            Initialized = true;
        }

        protected override async LoopTask ExecuteAsync(Loop loop)
        {
            try
            {
                await script.Execute(loop);
            }
            finally
            {
                await loop.Yield();
                ExecuteFinallyRanOnTheLoop = Loop.Current == loop;
            }
        }
    }

    private CapturingLoggerFactory _logs = null!;
    private Script _script = null!;

    [SetUp]
    public void FreshScriptAndLogs()
    {
        _logs = new CapturingLoggerFactory();
        _script = new Script();
    }

    private IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerFactory>(_logs); // the host's own log lines too: asserted, never printed
        builder.Services.AddSingleton(_script);
        builder.Services.AddSingleton(_logs);
        builder.Services.AddLoopHostedService<ScriptedService>();
        builder.Services.AddLoopHostedService<ScriptedService>(); // a second call adds nothing
        return builder.Build();
    }

    private IEnumerable<CapturingLoggerFactory.Entry> Errors => _logs.Entries.Where(e => e.Level >= LogLevel.Error);

    [Test]
    public void TheHostsStart_WaitsForInitialize_AndTheServiceIsTheInjectableSingleton()
    {
        using var host = BuildHost();
        Assert.That(host.StartAsync().Wait(Patience), Is.True);

        var service = host.Services.GetRequiredService<ScriptedService>();
        Assert.That(service.Initialized, Is.True, "started means initialized (a server would be listening)");
        Assert.That(host.Services.GetServices<IHostedService>().Count(s => s == service), Is.EqualTo(1), "one instance, started once");
        Assert.That(service.CountOnTheLoopAsync().Wait(Patience), Is.True);
        Assert.That(service.CountOnTheLoopAsync().Result, Is.EqualTo(1));

        Assert.That(host.StopAsync().Wait(Patience), Is.True);
        Assert.That(Errors, Is.Empty);
    }

    [Test]
    public void TheHostsStop_CancelsExecuteOnTheLoop_AndWaitsForItsFinally()
    {
        using var host = BuildHost();
        Assert.That(host.StartAsync().Wait(Patience), Is.True);
        var service = host.Services.GetRequiredService<ScriptedService>();

        Assert.That(host.StopAsync().Wait(Patience), Is.True);

        Assert.That(service.ExecuteFinallyRanOnTheLoop, Is.True);
        Assert.That(service.Completion.IsCompletedSuccessfully, Is.True);
        Assert.That(Errors, Is.Empty);
    }

    [Test]
    public void AFailingInitialize_FailsTheHostsStart_WithItsException()
    {
        _script.Initialize = _ => throw new InvalidDataException("cannot listen");
        using var host = BuildHost();

        Assert.That(() => host.StartAsync().Wait(Patience), Throws.InstanceOf<AggregateException>().With.InnerException.TypeOf<InvalidDataException>());
    }

    [Test]
    public void AFailingExecute_IsLoggedByTheHost_AndStopsIt()
    {
        _script.Execute = async loop =>
        {
            await loop.Yield();
            throw new InvalidDataException("the loop's work broke");
        };
        using var host = BuildHost();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        Assert.That(host.StartAsync().Wait(Patience), Is.True);

        Assert.That(lifetime.ApplicationStopping.WaitHandle.WaitOne(Patience), Is.True, "a BackgroundService failure stops the host");
        Assert.That(Errors.Select(e => e.Exception), Has.Some.TypeOf<InvalidDataException>());
        host.StopAsync().Wait(Patience);
    }

    [Test]
    public void AStopWhileTheLoopIsBusy_IsBoundedByTheHostsShutdownToken_AndTheLoopStillUnwinds()
    {
        using var busy = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        _script.Execute = async loop =>
        {
            await loop.Yield();
            busy.Set();
            release.Wait(); // blocks the loop thread: the stop cannot be carried out yet
            await loop.Delay(Timeout.InfiniteTimeSpan);
        };
        using var host = BuildHost();
        Assert.That(host.StartAsync().Wait(Patience), Is.True);
        var service = host.Services.GetRequiredService<ScriptedService>();
        Assert.That(busy.Wait(Patience), Is.True);

        using var shutdownTimeout = new CancellationTokenSource();
        var stop = host.StopAsync(shutdownTimeout.Token);
        shutdownTimeout.Cancel();

        Assert.That(stop.Wait(Patience), Is.True, "the host's token ends the wait");
        Assert.That(service.Completion.IsCompleted, Is.False);
        Assert.That(_logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Category == "EventLoop.Hosting").Select(e => e.Message),
            Has.Some.Contains("did not finish within the host's shutdown timeout"));

        release.Set();
        Assert.That(service.Completion.Wait(Patience), Is.True, "the loop goes on unwinding");
        Assert.That(service.ExecuteFinallyRanOnTheLoop, Is.True);
    }
}
