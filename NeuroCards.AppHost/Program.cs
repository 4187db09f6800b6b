Console.WriteLine("NeuroCards AppHost");
