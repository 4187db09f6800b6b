using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Shops;

/// <summary>
/// Seals a seller's marketplace secret with AES-256-GCM under the key from configuration (never in the database), bound
/// to its shop's id: a sealed secret copied onto another shop row does not open.
/// </summary>
public sealed class ShopSecrets(IOptions<ShopOptions> options)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public byte[] Seal(Guid shopId, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var result = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = result.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(), TagBytes);
        aes.Encrypt(nonce, plain, result.AsSpan(NonceBytes, plain.Length), result.AsSpan(NonceBytes + plain.Length), shopId.ToByteArray());
        CryptographicOperations.ZeroMemory(plain);
        return result;
    }

    public string Open(Guid shopId, byte[] sealedSecret)
    {
        var length = sealedSecret.Length - NonceBytes - TagBytes;
        if (length <= 0) throw new CryptographicException("a sealed secret too short to be one");
        var plain = new byte[length];
        using var aes = new AesGcm(Key(), TagBytes);
        aes.Decrypt(sealedSecret.AsSpan(0, NonceBytes), sealedSecret.AsSpan(NonceBytes, length), sealedSecret.AsSpan(NonceBytes + length),
            plain, shopId.ToByteArray());
        return Encoding.UTF8.GetString(plain);
    }

    private byte[] Key() => options.Value.Enabled
        ? Convert.FromHexString(options.Value.SecretKey)
        : throw new InvalidOperationException("Shops__SecretKey is not set");
}
