using Microsoft.Win32.SafeHandles;

namespace EventLoop;

/// <summary>An epoll descriptor, closed when released (also if a selector is never disposed).</summary>
internal sealed class SafeEpollHandle() : SafeHandleMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle() => EpollNative.close(handle) == 0;
}
