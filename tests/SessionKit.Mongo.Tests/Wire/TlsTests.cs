using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SessionKit.Mongo.Tests.Peer;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.Wire;

/// <summary>TLS against the peer with a self-signed certificate for "localhost": validation is on by default.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly WirePeer _peer = new();
    private readonly string _caFile = Path.Combine(Path.GetTempPath(), "sessionkit-mongo-ca-" + Guid.NewGuid().ToString("N") + ".pem");
    private X509Certificate2 _certificate = null!;

    public async ValueTask InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        _peer.Certificate = _certificate;
        await File.WriteAllTextAsync(_caFile, created.ExportCertificatePem());
    }

    public async ValueTask DisposeAsync()
    {
        await _peer.DisposeAsync();
        _certificate.Dispose();
        File.Delete(_caFile);
    }

    [Fact]
    public async Task An_untrusted_server_certificate_is_refused_by_default()
    {
        await using var client = ClientFaultTests.NewClient("localhost:" + _peer.Port, "&tls=true");

        await Assert.ThrowsAsync<AuthenticationException>(() => PingAsync(client));
    }

    [Fact]
    public async Task A_server_certificate_issued_by_the_tls_ca_file_is_accepted()
    {
        await using var client = ClientFaultTests.NewClient("localhost:" + _peer.Port, "&tls=true&tlsCAFile=" + Uri.EscapeDataString(_caFile));

        await PingAsync(client);

        Assert.Contains(_peer.Received, c => c.Elements[0].Key == "ping");
    }

    [Fact]
    public async Task The_host_name_is_checked_even_with_a_trusted_ca()
    {
        await using var client = ClientFaultTests.NewClient("127.0.0.1:" + _peer.Port, "&tls=true&tlsCAFile=" + Uri.EscapeDataString(_caFile));

        await Assert.ThrowsAsync<AuthenticationException>(() => PingAsync(client));
    }

    [Fact]
    public async Task Tls_allow_invalid_certificates_turns_validation_off_explicitly()
    {
        await using var client = ClientFaultTests.NewClient("127.0.0.1:" + _peer.Port, "&tls=true&tlsAllowInvalidCertificates=true");

        await PingAsync(client);
    }

    private static Task PingAsync(Mongo.Wire.Connection.MongoClient client)
        => client.ReadAsync("admin", new BsonDocument().Add("ping", 1), CancellationToken.None);
}
