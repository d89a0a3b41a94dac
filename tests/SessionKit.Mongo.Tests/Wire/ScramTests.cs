using System.Text;
using SessionKit.Mongo.Wire.Auth;

namespace SessionKit.Mongo.Tests.Wire;

/// <summary>SCRAM against the RFCs' own published examples (IETF test vectors), and SASLprep against RFC 4013's table.</summary>
public sealed class ScramTests
{
    [Fact]
    public void Rfc7677_sha256_example_is_reproduced()
    {
        var conversation = new ScramConversation(ScramMechanism.Sha256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");

        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Encoding.UTF8.GetString(conversation.ClientFirst()));
        var final = conversation.ClientFinal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8);
        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Encoding.UTF8.GetString(final));
        conversation.VerifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8);
    }

    [Fact]
    public void Rfc5802_sha1_example_is_reproduced()
    {
        var conversation = new ScramConversation(ScramMechanism.Sha1, "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");

        var final = conversation.ClientFinal("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"u8);
        Assert.Equal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", Encoding.UTF8.GetString(final));
        conversation.VerifyServerFinal("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="u8);
    }

    [Fact]
    public void Mongodb_sha1_password_is_the_hex_md5_digest_of_user_mongo_password()
        => Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("user:mongo:pencil"u8)), ScramMechanism.Sha1.PreparePassword("user", "pencil"));

    [Fact]
    public void A_wrong_server_signature_fails_authentication()
    {
        var conversation = new ScramConversation(ScramMechanism.Sha256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        conversation.ClientFinal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8);

        Assert.Throws<MongoAuthenticationException>(() => conversation.VerifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8));
    }

    [Fact]
    public void A_server_nonce_that_does_not_extend_the_client_nonce_is_refused()
    {
        var conversation = new ScramConversation(ScramMechanism.Sha256, "user", "pencil", "abc");

        Assert.Throws<MongoAuthenticationException>(() => conversation.ClientFinal("r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8));
    }

    [Fact]
    public void Too_few_iterations_are_refused()
    {
        var conversation = new ScramConversation(ScramMechanism.Sha256, "user", "pencil", "abc");

        Assert.Throws<MongoAuthenticationException>(() => conversation.ClientFinal("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000"u8));
    }

    [Fact]
    public void User_names_escape_equals_and_comma()
        => Assert.Equal("n,,n=a=3Db=2Cc,r=N", Encoding.UTF8.GetString(new ScramConversation(ScramMechanism.Sha256, "a=b,c", "p", "N").ClientFirst()));

    [Theory]
    [InlineData("I\u00ADX", "IX")]
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("\u00AA", "a")]
    [InlineData("\u2168", "IX")]
    [InlineData("a\u00A0b", "a b")]
    public void Saslprep_maps_and_normalizes_as_rfc4013_shows(string input, string expected)
        => Assert.Equal(expected, SaslPrep.Prepare(input));

    [Theory]
    [InlineData("\u0007")]
    [InlineData("\u0627\u0031")]
    public void Saslprep_refuses_prohibited_characters_and_bidi_violations(string input)
        => Assert.Throws<ArgumentException>(() => SaslPrep.Prepare(input));
}
