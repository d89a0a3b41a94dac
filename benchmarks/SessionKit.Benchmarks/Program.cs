using BenchmarkDotNet.Running;
using SessionKit.Benchmarks;

if (args is ["paired"])
{
    PairedRun.Run();
}
else if (args is ["scale"])
{
    await ScaleRun.RunAsync();
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
