namespace NeuroCards.Core.Storage;

public enum StorageProvider
{
    Local,
    AzureBlob,
    Supabase,
}
