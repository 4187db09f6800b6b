namespace NeuroCards.Bot.Intake;

/// <summary>
/// One gate per chat, so a chat's updates run one after another. A gate exists only while an update of its chat is
/// being handled or waits: the last one out removes it, so the map does not grow with every chat ever seen.
/// </summary>
public sealed class ChatGates
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim used only with WaitAsync and Release holds no OS handle; disposing it while a call is still inside would throw")]
    private sealed class Gate
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Holders;
    }

    private readonly Dictionary<long, Gate> _gates = [];

    public int Count
    {
        get
        {
            lock (_gates) return _gates.Count;
        }
    }

    public async Task<IDisposable> EnterAsync(long chatId, CancellationToken cancellationToken)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(chatId, out gate!)) _gates[chatId] = gate = new Gate();
            gate.Holders++;
        }
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(chatId, gate, entered: false);
            throw;
        }
        return new Entered(this, chatId, gate);
    }

    private void Leave(long chatId, Gate gate, bool entered)
    {
        if (entered) gate.Semaphore.Release();
        lock (_gates)
        {
            if (--gate.Holders == 0) _gates.Remove(chatId);
        }
    }

    private sealed class Entered(ChatGates gates, long chatId, Gate gate) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) gates.Leave(chatId, gate, entered: true);
        }
    }
}
