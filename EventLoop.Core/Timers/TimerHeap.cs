namespace EventLoop;

/// <summary>
/// An array binary min-heap of timers ordered by (due time, sequence), so equal deadlines fire
/// in scheduling order. Cancel is O(1): the handle is marked and skipped when it reaches the top.
/// When more than half of the heap is cancelled it is rebuilt without them, and the array
/// shrinks, so scheduling and cancelling a million timers keeps no memory.
/// </summary>
internal sealed class TimerHeap
{
    private const int MinimumCapacity = 16;
    private const int ShrinkThreshold = 4096;
    private TimerHandle[] _items = new TimerHandle[MinimumCapacity];
    private long _nextSequence;

    public int Count { get; private set; }

    /// <summary>How many entries in the heap are cancelled but not yet removed.</summary>
    public int CancelledCount { get; private set; }

    /// <summary>Array length, exposed so tests can prove the heap gives memory back.</summary>
    public int Capacity => _items.Length;

    public void Push(TimerHandle timer)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        timer.Sequence = _nextSequence++;
        _items[Count] = timer;
        timer.HeapIndex = Count;
        Count++;
        SiftUp(Count - 1);
    }

    /// <summary>The earliest live timer's due time, dropping cancelled ones at the top.</summary>
    public bool TryPeekDue(out long due)
    {
        DropCancelledAtTop();
        if (Count == 0)
        {
            due = 0;
            return false;
        }
        due = _items[0].DueTimestamp;
        return true;
    }

    /// <summary>Removes and returns the earliest live timer if it is due at <paramref name="now"/>.</summary>
    public TimerHandle? PopDue(long now)
    {
        DropCancelledAtTop();
        if (Count == 0 || _items[0].DueTimestamp > now) return null;
        return RemoveTop();
    }

    public void OnCancelled(TimerHandle timer)
    {
        if (timer.HeapIndex < 0) return; // already popped: nothing in the heap to account for
        CancelledCount++;
        if (CancelledCount > Count / 2 && Count > MinimumCapacity) Compact();
    }

    public void Clear()
    {
        for (int i = 0; i < Count; i++) _items[i].HeapIndex = -1;
        Array.Clear(_items, 0, Count);
        Count = 0;
        CancelledCount = 0;
    }

    private void DropCancelledAtTop()
    {
        while (Count > 0 && _items[0].IsCancelled)
        {
            RemoveTop();
            CancelledCount--;
        }
    }

    private TimerHandle RemoveTop()
    {
        var top = _items[0];
        top.HeapIndex = -1;
        Count--;
        if (Count > 0)
        {
            _items[0] = _items[Count];
            _items[0].HeapIndex = 0;
            _items[Count] = null!;
            SiftDown(0);
        }
        else
        {
            _items[0] = null!;
        }
        return top;
    }

    /// <summary>Keeps only live timers, re-heapifies in O(n), and shrinks an oversized array.</summary>
    private void Compact()
    {
        int live = 0;
        for (int i = 0; i < Count; i++)
        {
            var t = _items[i];
            if (t.IsCancelled) { t.HeapIndex = -1; continue; }
            _items[live] = t;
            t.HeapIndex = live;
            live++;
        }
        Array.Clear(_items, live, Count - live);
        Count = live;
        CancelledCount = 0;
        for (int i = Count / 2 - 1; i >= 0; i--) SiftDown(i);

        // Shrink only an array that is far too large, so that bursts of schedule-and-cancel do
        // not shrink and regrow it every time; a million cancelled timers still give it back.
        if (_items.Length > ShrinkThreshold && _items.Length > Count * 8) Array.Resize(ref _items, Math.Max(ShrinkThreshold, Count * 2));
    }

    private static bool Less(TimerHandle a, TimerHandle b) =>
        a.DueTimestamp < b.DueTimestamp || (a.DueTimestamp == b.DueTimestamp && a.Sequence < b.Sequence);

    private void SiftUp(int i)
    {
        var item = _items[i];
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Less(item, _items[parent])) break;
            _items[i] = _items[parent];
            _items[i].HeapIndex = i;
            i = parent;
        }
        _items[i] = item;
        item.HeapIndex = i;
    }

    private void SiftDown(int i)
    {
        var item = _items[i];
        while (true)
        {
            int left = 2 * i + 1;
            if (left >= Count) break;
            int smallest = left + 1 < Count && Less(_items[left + 1], _items[left]) ? left + 1 : left;
            if (!Less(_items[smallest], item)) break;
            _items[i] = _items[smallest];
            _items[i].HeapIndex = i;
            i = smallest;
        }
        _items[i] = item;
        item.HeapIndex = i;
    }
}
