namespace EventLoop;

/// <summary>The "result" of a <see cref="LoopTask"/> that has none, so one source type serves both task kinds.</summary>
internal readonly struct VoidResult;
