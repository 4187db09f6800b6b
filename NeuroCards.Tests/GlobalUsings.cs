global using Dapper;
global using NeuroCards.Tests.Infrastructure;
