using Microsoft.AspNetCore.Http;
using TypedSio.Server.EngineIO;

namespace TypedSio.Server.Tests;

// The in-place reading of transport/EIO/sid must agree with HttpRequest.Query on every query, plain or not.
public sealed class EngineIOQueryTests
{
    [Theory]
    [InlineData("")]
    [InlineData("?EIO=4&transport=polling")]
    [InlineData("?EIO=4&transport=polling&sid=AbC-_0123456789abcde")]
    [InlineData("?transport=websocket&EIO=3&sid=x&t=PQ1x2&b64=1")]
    [InlineData("?eio=4&TRANSPORT=polling&SID=abc")]
    [InlineData("?EIO=4&transport=polling&transport=websocket")]
    [InlineData("?EIO=4&EIO=4&transport=polling")]
    [InlineData("?EIO=4&transport=polling&sid=a&sid=b")]
    [InlineData("?EIO=4&transport=poll%69ng&sid=a%2Bb")]
    [InlineData("?EIO=4&transport=polling&sid=a+b")]
    [InlineData("?EIO=4&transport=&sid=")]
    [InlineData("?EIO&transport&sid")]
    [InlineData("?&&EIO=4&&transport=polling&&")]
    [InlineData("?EIO=04&transport=Polling&sid=s=1")]
    [InlineData("?EIO=4&transport=flashsocket&sid=abc")]
    public void Read_AnyQuery_MatchesHttpRequestQuery(string queryString)
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString(queryString);

        var query = EngineIOQuery.Read(request);

        Assert.Equal(request.Query["transport"].ToString(), query.Transport);
        Assert.Equal(request.Query["EIO"] == "4", query.IsV4);
        Assert.Equal(request.Query["sid"].ToString(), query.Sid.ToString());
    }
}
