using Megafon.DevHost;

await DevHostApplication.Create(args).RunAsync();
