using System.Net.Sockets;
using Azure;
using NeuroCards.Core.Queue;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Telegram.Bot.Exceptions;

namespace NeuroCards.Worker.Pipeline;

/// <summary>
/// Gives every exception a stage lets out a failure class, so the failure policy can decide on it: trouble that passes
/// (network, timeouts, an open circuit, a storage or database hiccup) is temporary; anything else is unknown. Both are
/// retried up to the job's failure limit, then end in a refund (or, with a video made, in "undeliverable").
/// </summary>
public static class FailureClassifier
{
    public static FailureClass Classify(Exception e) => e switch
    {
        ApiRequestException { ErrorCode: 403 } => FailureClass.Blocked,
        ApiRequestException { ErrorCode: 429 or >= 500 } => FailureClass.Temporary,
        ApiRequestException => FailureClass.Unknown,
        TimeoutRejectedException or BrokenCircuitException or TimeoutException => FailureClass.Temporary,
        HttpRequestException or SocketException or IOException or RequestException => FailureClass.Temporary,
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => FailureClass.Temporary,
        RequestFailedException => FailureClass.Unknown,
        NpgsqlException { IsTransient: true } => FailureClass.Temporary,
        OperationCanceledException => FailureClass.Timeout,
        AggregateException { InnerExceptions.Count: 1 } a => Classify(a.InnerExceptions[0]),
        _ => FailureClass.Unknown,
    };
}
