using NeuroCards.Worker;

// Claims jobs and carries them through prompt → render → store → deliver.
WorkerApp.Build(args).Run();
