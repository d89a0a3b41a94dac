using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using SessionKit.Mongo.Wire.Auth;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Wire.Connection;

/// <summary>
/// Opens ready-to-use connections: TCP connect (bounded by connectTimeoutMS), TLS when asked (certificate and host
/// name validated unless the connection string explicitly allows otherwise; an optional CA file), the handshake with
/// client metadata, then SCRAM authentication when the connection string has credentials.
/// </summary>
internal sealed class MongoConnector
{
    private readonly MongoConnectionSettings _settings;
    private readonly X509Certificate2Collection? _trustedRoots;

    public MongoConnector(MongoConnectionSettings settings)
    {
        _settings = settings;
        if (settings.TlsCaFile is { } caFile)
        {
            _trustedRoots = [];
            _trustedRoots.ImportFromPemFile(caFile);
        }
    }

    public async Task<MongoConnection> OpenAsync(MongoEndPoint endPoint, int generation, CancellationToken cancellationToken)
    {
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(_settings.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(endPoint.Host, endPoint.Port, connectTimeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (_settings.Tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(TlsOptions(endPoint), connectTimeout.Token).ConfigureAwait(false);
            }

            var connection = new MongoConnection(endPoint, stream, _settings.ConnectTimeout, generation);
            connection.Hello = await HandshakeAsync(connection, connectTimeout.Token).ConfigureAwait(false);
            if (_settings.Username is not null)
            {
                await AuthenticateAsync(connection, connection.Hello, connectTimeout.Token).ConfigureAwait(false);
            }

            connection.Timeout = _settings.SocketTimeout;
            return connection;
        }
        catch (Exception e)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Connecting to MongoDB server {endPoint} took longer than connectTimeoutMS ({_settings.ConnectTimeout.TotalSeconds:0.###} s).", e);
            }

            throw;
        }
    }

    private SslClientAuthenticationOptions TlsOptions(MongoEndPoint endPoint) => new()
    {
        TargetHost = endPoint.Host,
        EnabledSslProtocols = System.Security.Authentication.SslProtocols.None, // the OS default: TLS 1.2/1.3
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ValidateCertificate(certificate, errors),
    };

    private bool ValidateCertificate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (_settings.TlsAllowInvalidCertificates)
        {
            return true;
        }

        if (_settings.TlsAllowInvalidHostnames)
        {
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // With tlsCAFile, a chain error is re-checked against that CA alone (custom trust store); name errors still fail.
        if (_trustedRoots is null || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private async Task<HelloResult> HandshakeAsync(MongoConnection connection, CancellationToken cancellationToken)
    {
        // Legacy isMaster with helloOk is what the spec asks of drivers without Stable API; it also works on servers before 4.4.2.
        var hello = new BsonDocument()
            .Add("isMaster", 1)
            .Add("helloOk", true)
            .Add("client", ClientMetadata())
            .Add("$db", "admin");
        if (_settings.Username is not null && _settings.AuthMechanism is null)
        {
            hello.Add("saslSupportedMechs", _settings.AuthSource + "." + _settings.Username);
        }

        var reply = await connection.RoundTripAsync(hello, [], cancellationToken).ConfigureAwait(false);
        MongoServerException.ThrowIfFailed(reply);
        return HelloResult.From(reply);
    }

    private BsonDocument ClientMetadata()
    {
        var metadata = new BsonDocument()
            .Add("driver", new BsonDocument().Add("name", "SessionKit.Mongo").Add("version", typeof(MongoConnector).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"))
            .Add("os", new BsonDocument().Add("type", OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "Darwin" : OperatingSystem.IsLinux() ? "Linux" : "unknown")
                .Add("architecture", RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()))
            .Add("platform", RuntimeInformation.FrameworkDescription);
        if (_settings.AppName is not null)
        {
            metadata.Add("application", new BsonDocument().Add("name", _settings.AppName));
        }

        return metadata;
    }

    private async Task AuthenticateAsync(MongoConnection connection, HelloResult hello, CancellationToken cancellationToken)
    {
        // Negotiation: SCRAM-SHA-256 when the server lists it for this user, otherwise SCRAM-SHA-1 (never PLAIN).
        var mechanism = _settings.AuthMechanism is { } named
            ? ScramMechanism.FromName(named)
            : hello.SaslSupportedMechs?.Contains("SCRAM-SHA-256") == true ? ScramMechanism.Sha256 : ScramMechanism.Sha1;
        var user = _settings.Username!;
        var conversation = new ScramConversation(mechanism, user, mechanism.PreparePassword(user, _settings.Password ?? ""));
        var authDb = _settings.AuthSource;
        try
        {
            var start = await SaslAsync(connection, new BsonDocument()
                .Add("saslStart", 1)
                .Add("mechanism", mechanism.Name)
                .Add("payload", new BsonBinary(0, conversation.ClientFirst()))
                .Add("autoAuthorize", 1)
                .Add("options", new BsonDocument().Add("skipEmptyExchange", true))
                .Add("$db", authDb), cancellationToken).ConfigureAwait(false);
            var conversationId = start["conversationId"];
            var final = await SaslAsync(connection, Continue(conversationId, conversation.ClientFinal(Payload(start).Span), authDb), cancellationToken).ConfigureAwait(false);
            conversation.VerifyServerFinal(Payload(final).Span);
            if (final["done"] is not true)
            {
                // Servers before 4.4 ignore skipEmptyExchange and want one more, empty, round.
                var done = await SaslAsync(connection, Continue(conversationId, [], authDb), cancellationToken).ConfigureAwait(false);
                if (done["done"] is not true)
                {
                    throw new MongoAuthenticationException("SCRAM authentication failed: the server did not finish the conversation.");
                }
            }
        }
        catch (MongoServerException e)
        {
            throw new MongoAuthenticationException($"Authentication of user \"{user}\" on database \"{authDb}\" with {mechanism.Name} failed: {e.Message}", e);
        }
    }

    private static BsonDocument Continue(object? conversationId, byte[] payload, string authDb) => new BsonDocument()
        .Add("saslContinue", 1)
        .Add("conversationId", conversationId)
        .Add("payload", new BsonBinary(0, payload))
        .Add("$db", authDb);

    private static ReadOnlyMemory<byte> Payload(BsonDocument reply)
        => (reply["payload"] as BsonBinary)?.Data ?? throw new MongoAuthenticationException("SCRAM authentication failed: the server reply has no payload.");

    private static async Task<BsonDocument> SaslAsync(MongoConnection connection, BsonDocument command, CancellationToken cancellationToken)
    {
        var reply = await connection.RoundTripAsync(command, [], cancellationToken).ConfigureAwait(false);
        MongoServerException.ThrowIfFailed(reply);
        return reply;
    }
}
