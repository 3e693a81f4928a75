return await Overseer.Cli.OverseerCli.RunAsync(args);
