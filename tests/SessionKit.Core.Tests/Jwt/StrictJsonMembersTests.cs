using System.Buffers.Text;
using System.Text;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Jwt;

public sealed class StrictJsonMembersTests
{
    [Theory]
    [InlineData("""{"sid":"a","sub":"b"}""")]
    [InlineData(""" { "sid" : "a" , "sub" : "b" } """)]
    [InlineData("""{}""")]
    [InlineData("""{"aud":["x","y"],"n":{"sid":1,"sub":[2]},"sid":"a\"b\\","sub":"\u00e9","x":-1.5e3,"t":true,"z":null}""")]
    [InlineData("""{"s":"}\",{[","sid":"a"}""")]
    public void Well_formed_claims_with_unique_names_pass(string json)
        => Assert.True(StrictJsonMembers.Check(Encode(json), isClaims: true));

    [Theory]
    [InlineData("""{"sid":"a","sid":"b"}""")]
    [InlineData("""{"sid":"a","x":{"y":1},"sid":"b"}""")]
    [InlineData("""{"s\u0069d":"a"}""")]
    [InlineData("""{"sid":1}""")]
    [InlineData("""{"sub":["a"]}""")]
    [InlineData("""{"sid":null}""")]
    [InlineData("""[]""")]
    [InlineData("""{"sid":"a"} x""")]
    [InlineData("""{"sid":"a""")]
    [InlineData("""{"sid":"a",}""")]
    [InlineData("""{"sid" "a"}""")]
    [InlineData("")]
    public void Duplicates_escaped_names_non_string_sid_or_sub_and_garbage_fail(string json)
        => Assert.False(StrictJsonMembers.Check(Encode(json), isClaims: true));

    [Fact]
    public void A_non_string_sid_is_only_refused_in_the_claims_set()
        => Assert.True(StrictJsonMembers.Check(Encode("""{"sid":1}"""), isClaims: false));

    [Fact]
    public void More_than_32_members_fail()
    {
        var json = "{" + string.Join(',', Enumerable.Range(0, 33).Select(i => $"\"c{i}\":{i}")) + "}";

        Assert.False(StrictJsonMembers.Check(Encode(json), isClaims: true));
    }

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
