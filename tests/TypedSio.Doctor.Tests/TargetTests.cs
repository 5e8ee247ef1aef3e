using TypedSio.Doctor.Diagnosis;

namespace TypedSio.Doctor.Tests;

public sealed class TargetTests
{
    [Theory]
    [InlineData("http://example.com", null, null, "http://example.com/socket.io/", "/")]
    [InlineData("example.com:3000", null, null, "http://example.com:3000/socket.io/", "/")]
    [InlineData("wss://example.com/admin", null, null, "https://example.com/socket.io/", "/admin")]
    [InlineData("https://example.com/admin/", "/ws", null, "https://example.com/ws/", "/admin")]
    [InlineData("http://example.com/socket.io/", null, null, "http://example.com/socket.io/", "/")]
    [InlineData("http://example.com/chat/socket.io", null, null, "http://example.com/chat/socket.io/", "/")]
    [InlineData("http://example.com/ignored", null, "/nsp", "http://example.com/socket.io/", "/nsp")]
    [InlineData("http://example.com", null, "nsp", "http://example.com/socket.io/", "/nsp")]
    public void TryParse_ClientStyleUrl_SplitsPathAndNamespace(string url, string? path, string? nsp, string endpoint, string expectedNamespace)
    {
        Assert.True(DoctorTarget.TryParse(url, path, nsp, out var target, out _, out _));

        Assert.Equal(endpoint, target!.EndpointUri.ToString());
        Assert.Equal(expectedNamespace, target.Namespace);
    }

    [Theory]
    [InlineData("ftp://example.com")]
    [InlineData("http://")]
    public void TryParse_NotAServerUrl_Fails(string url)
    {
        Assert.False(DoctorTarget.TryParse(url, null, null, out _, out var problem, out _));
        Assert.NotEmpty(problem);
    }

    [Fact]
    public void Http_UserQuery_ComesBeforeEngineQuery()
    {
        Assert.True(DoctorTarget.TryParse("http://example.com/?token=a", null, null, out var target, out _, out _));

        Assert.Equal("http://example.com/socket.io/?token=a&EIO=4&transport=polling", target!.Http("EIO=4&transport=polling").ToString());
        Assert.Equal("ws://example.com/socket.io/?token=a&EIO=4", target.WebSocket("EIO=4").ToString());
    }
}
