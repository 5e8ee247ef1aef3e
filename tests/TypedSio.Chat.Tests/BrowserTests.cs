using System.Text.Json;
using TypedSio.Testing;

namespace TypedSio.Chat.Tests;

/// <summary>The README's demo: the chat page in headless Chromium and the console client chat through the sample server.</summary>
public sealed class BrowserTests
{
    [Fact]
    public async Task ChatPage_AndConsoleClient_SeeEachOthersMessages()
    {
        var (server, url) = await SampleProcess.StartServerAsync();
        await using (server)
        {
            await using var console = SampleProcess.Start("Chat.Client", [url.ToString(), "ada", "lobby"]);
            await console.Output.WaitForAsync(l => l.StartsWith("* joined lobby with ada", StringComparison.Ordinal), "the console client joining");

            var (chromium, devTools) = await ChromiumProcess.StartWithDevToolsAsync();
            await using (chromium)
            {
                await using var page = await DevToolsPage.OpenAsync(devTools, new Uri(url, "?user=web&room=lobby").ToString());
                Assert.Equal("joined lobby with ada, web", await WaitForPageLineAsync(page, "joined lobby with"));
                await console.Output.WaitForAsync("* web joined lobby");

                await page.EvaluateAsync("""
                    const input = document.querySelector("#send input[name=text]");
                    input.value = "hello from the browser";
                    document.getElementById("send").requestSubmit();
                    """);
                await console.Output.WaitForAsync("[lobby] web: hello from the browser");

                await console.SendLineAsync("hello from the console");
                Assert.Equal("ada: hello from the console", await WaitForPageLineAsync(page, "ada: hello from the console"));
            }

            await console.Output.WaitForAsync("* web left lobby");
        }
    }

    // Resolves once the page lists a line starting with the text (a MutationObserver, so nothing polls).
    private static async Task<string?> WaitForPageLineAsync(DevToolsPage page, string start)
    {
        var result = await page.EvaluateAsync($$"""
            new Promise((resolve) => {
              const list = document.getElementById("messages");
              const find = () => [...list.children].map((li) => li.textContent).find((t) => t.startsWith({{JsonSerializer.Serialize(start)}}));
              if (find()) return resolve(find());
              new MutationObserver((_, observer) => { const t = find(); if (t) { observer.disconnect(); resolve(t); } })
                .observe(list, { childList: true });
            })
            """);
        return result.GetString();
    }
}
