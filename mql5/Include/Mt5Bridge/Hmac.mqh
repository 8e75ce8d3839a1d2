//+------------------------------------------------------------------+
//| Hmac.mqh: HMAC-SHA256 (RFC 2104) over CryptEncode's SHA-256.      |
//| The hello proves the shared secret:                               |
//|   hmac = lowercase hex(HMAC-SHA256(key = secret, msg = nonce))    |
//| Check: HmacSha256Hex("Jefe", "what do ya want for nothing?")      |
//|   = 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 |
//| (RFC 4231 test case 2; the gateway's unit test uses the same one).|
//+------------------------------------------------------------------+

bool Sha256(const uchar &data[], uchar &digest[])
  {
   uchar noKey[];
   return CryptEncode(CRYPT_HASH_SHA256, data, noKey, digest) == 32;
  }

/** Bytes of a string as UTF-8, without the terminating zero StringToCharArray adds. */
void Utf8Bytes(const string text, uchar &bytes[])
  {
   int n = StringToCharArray(text, bytes, 0, WHOLE_ARRAY, CP_UTF8);
   ArrayResize(bytes, n > 0 ? n - 1 : 0);
  }

#define HMAC_BLOCK 64

string HmacSha256Hex(const string secret, const string message)
  {
   uchar key[], msg[];
   Utf8Bytes(secret, key);
   Utf8Bytes(message, msg);
   if(ArraySize(key) > HMAC_BLOCK)
     {
      uchar hashed[];
      Sha256(key, hashed);
      ArrayFree(key);
      ArrayCopy(key, hashed);
     }
   // The key padded with zeros to one HMAC_BLOCK (ArrayResize does not clear new elements).
   uchar padded[];
   ArrayResize(padded, HMAC_BLOCK);
   ArrayInitialize(padded, 0);
   ArrayCopy(padded, key);
   uchar inner[], outer[];
   ArrayResize(inner, HMAC_BLOCK + ArraySize(msg));
   ArrayResize(outer, HMAC_BLOCK + 32);
   for(int i = 0; i < HMAC_BLOCK; i++)
     {
      inner[i] = (uchar)(padded[i] ^ 0x36);
      outer[i] = (uchar)(padded[i] ^ 0x5c);
     }
   ArrayCopy(inner, msg, HMAC_BLOCK);
   uchar innerHash[], mac[];
   if(!Sha256(inner, innerHash)) return "";
   ArrayCopy(outer, innerHash, HMAC_BLOCK);
   if(!Sha256(outer, mac)) return "";
   string hex = "";
   for(int i = 0; i < 32; i++) hex += StringFormat("%02x", mac[i]);
   return hex;
  }
//+------------------------------------------------------------------+
