using System.Net;
using System.Net.Sockets;

namespace TypedSio.Doctor.Diagnosis;

internal sealed partial class EndpointDoctor
{
    private IPAddress[] _addresses = [];

    private async Task<CheckResult> CheckDnsAsync(CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(_target.Host.Trim('[', ']'), out var literal))
        {
            _addresses = [literal];
            return new CheckResult("dns", "DNS", CheckVerdict.Pass, $"{_target.Host} is an IP address: nothing to resolve");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.StepTimeout);
            _addresses = await Dns.GetHostAddressesAsync(_target.Host, timeout.Token);
            _log.Add("dns", $"{_target.Host} -> {string.Join(", ", _addresses.Select(a => a.ToString()))}");
        }
        catch (SocketException exception)
        {
            StopAfter("the host name does not resolve.");
            return new CheckResult("dns", "DNS", CheckVerdict.Fail, $"{_target.Host} does not resolve ({exception.SocketErrorCode})")
            {
                Cause = "a typo in the host name, a DNS record that does not exist (yet), or a name only known inside another network (VPN, Docker, Kubernetes).",
                Fix = "check the host name; try it with 'nslookup' or 'dig' from this machine.",
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            StopAfter("the host name does not resolve.");
            return new CheckResult("dns", "DNS", CheckVerdict.Fail, $"resolving {_target.Host} took longer than {_options.StepTimeout.TotalSeconds:0} s")
            {
                Cause = "the DNS server does not answer.",
                Fix = "check this machine's DNS settings and network.",
            };
        }

        if (_addresses.Length == 0)
        {
            StopAfter("the host name does not resolve.");
            return new CheckResult("dns", "DNS", CheckVerdict.Fail, $"{_target.Host} has no address")
            {
                Cause = "the DNS record exists but has no A/AAAA address.",
                Fix = "add an address record for the host.",
            };
        }

        return new CheckResult("dns", "DNS", CheckVerdict.Pass, $"{_target.Host} -> {string.Join(", ", _addresses.Select(a => a.ToString()))}");
    }

    private async Task<CheckResult> CheckTcpAsync(CancellationToken cancellationToken)
    {
        SocketError? lastError = null;
        foreach (var address in _addresses)
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.StepTimeout);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, _target.Port), timeout.Token);
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                _log.Add("tcp", $"connected to {address}:{_target.Port} in {elapsed.TotalMilliseconds:0} ms");
                return new CheckResult("tcp", "TCP", CheckVerdict.Pass, $"{address}:{_target.Port} accepts connections ({elapsed.TotalMilliseconds:0} ms)");
            }
            catch (SocketException exception)
            {
                lastError = exception.SocketErrorCode;
                _log.Add("tcp", $"{address}:{_target.Port} {exception.SocketErrorCode}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = SocketError.TimedOut;
                _log.Add("tcp", $"{address}:{_target.Port} no answer within {_options.StepTimeout.TotalSeconds:0} s");
            }
        }

        StopAfter("the server cannot be reached over TCP.");
        var where = $"{_target.Host}:{_target.Port}";
        return lastError switch
        {
            SocketError.ConnectionRefused => new CheckResult("tcp", "TCP", CheckVerdict.Fail, $"{where} refused the connection")
            {
                Cause = "nothing listens on that port: the server is not running, listens on another port, or only on another interface (e.g. 127.0.0.1 inside a container).",
                Fix = "start the server, check the port in the URL, and make it listen on an address this machine can reach (0.0.0.0 in containers).",
            },
            SocketError.TimedOut => new CheckResult("tcp", "TCP", CheckVerdict.Fail, $"{where} did not answer within {_options.StepTimeout.TotalSeconds:0} s")
            {
                Cause = "a firewall or security group silently drops the packets, or the host is down.",
                Fix = "open the port in the firewall / security group, or check that the host is up.",
            },
            SocketError.ConnectionReset => new CheckResult("tcp", "TCP", CheckVerdict.Fail, $"{where} reset the connection")
            {
                Cause = "a firewall or proxy actively rejects the connection, or the server crashes on accept.",
                Fix = "check firewall rules and the server's logs.",
            },
            _ => new CheckResult("tcp", "TCP", CheckVerdict.Fail, $"{where} could not be reached ({lastError})")
            {
                Cause = "the network between this machine and the server is broken (no route, unreachable host).",
                Fix = "check routing, VPN and firewall settings.",
            },
        };
    }
}
