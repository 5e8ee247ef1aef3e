using TypedSio.Doctor;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// Colour and a spinner on a terminal; plain text when stdout is a file or a pipe.
return await DoctorCli.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, cancel.Token);
