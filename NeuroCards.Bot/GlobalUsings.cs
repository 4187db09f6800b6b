global using Dapper;
global using Npgsql;
