//+------------------------------------------------------------------+
//| Json.mqh: the little JSON the bridge needs.                       |
//| A reader for the gateway's frames (objects, arrays, strings,      |
//| numbers, true/false/null) and helpers to write the terminal's.   |
//| Numbers keep their source text, so magic numbers and times above |
//| 2^53 are read exactly with Long().                               |
//+------------------------------------------------------------------+
enum ENUM_JSON_TYPE { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

class CJson
  {
public:
   ENUM_JSON_TYPE    type;
   bool              boolean;
   string            text;       // string value, or the number as written
   string            keys[];     // object member names (same index as items)
   CJson            *items[];    // array elements or object member values

                     CJson(void) : type(JSON_NULL), boolean(false), text("") {}
                    ~CJson(void)
     {
      for(int i = 0; i < ArraySize(items); i++)
         if(CheckPointer(items[i]) == POINTER_DYNAMIC) delete items[i];
     }
   int               Size(void) const { return ArraySize(items); }
   CJson            *At(const int index) { return index >= 0 && index < ArraySize(items) ? items[index] : NULL; }
   CJson            *Get(const string key)
     {
      for(int i = 0; i < ArraySize(keys); i++)
         if(keys[i] == key) return items[i];
      return NULL;
     }
   bool              Has(const string key) { CJson *v = Get(key); return v != NULL && v.type != JSON_NULL; }
   string            Str(const string key, const string fallback = "") { CJson *v = Get(key); return v != NULL && v.type == JSON_STRING ? v.text : fallback; }
   double            Num(const string key, const double fallback = 0) { CJson *v = Get(key); return v != NULL && v.type == JSON_NUMBER ? StringToDouble(v.text) : fallback; }
   long              Long(const string key, const long fallback = 0) { CJson *v = Get(key); return v != NULL && v.type == JSON_NUMBER ? StringToInteger(v.text) : fallback; }
   ulong             Ticket(const string key) { CJson *v = Get(key); return v != NULL && v.type == JSON_STRING ? (ulong)StringToInteger(v.text) : 0; }
   void              Add(const string key, CJson *value)
     {
      int n = ArraySize(items);
      ArrayResize(items, n + 1);
      ArrayResize(keys, n + 1);
      items[n] = value;
      keys[n] = key;
     }
  };

/** Value of up to four hex digits (a \uXXXX escape). */
ushort HexValue(string digits)
  {
   StringToLower(digits); // in place
   ushort value = 0;
   for(int i = 0; i < StringLen(digits); i++)
     {
      int d = StringFind("0123456789abcdef", StringSubstr(digits, i, 1));
      value = (ushort)(value * 16 + (d < 0 ? 0 : d));
     }
   return value;
  }

//--- Reader: recursive descent over one line; returns NULL on any syntax error.
class CJsonReader
  {
private:
   string            m_text;
   int               m_pos;
   int               m_len;
   int               m_depth;

   void              SkipSpace(void)
     {
      while(m_pos < m_len)
        {
         ushort c = StringGetCharacter(m_text, m_pos);
         if(c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
         m_pos++;
        }
     }
   bool              Literal(const string word)
     {
      if(StringSubstr(m_text, m_pos, StringLen(word)) != word) return false;
      m_pos += StringLen(word);
      return true;
     }
   bool              ReadString(string &out)
     {
      out = "";
      m_pos++; // opening quote
      while(m_pos < m_len)
        {
         ushort c = StringGetCharacter(m_text, m_pos++);
         if(c == '"') return true;
         if(c != '\\') { out += ShortToString(c); continue; }
         if(m_pos >= m_len) return false;
         ushort e = StringGetCharacter(m_text, m_pos++);
         if(e == 'n') out += "\n";
         else if(e == 't') out += "\t";
         else if(e == 'r') out += "\r";
         else if(e == 'b') out += ShortToString(8);
         else if(e == 'f') out += ShortToString(12);
         else if(e == 'u')
           {
            if(m_pos + 4 > m_len) return false;
            out += ShortToString(HexValue(StringSubstr(m_text, m_pos, 4)));
            m_pos += 4;
           }
         else out += ShortToString(e); // \" \\ \/
        }
      return false;
     }
   CJson            *Fail(CJson *partial) { if(partial != NULL) delete partial; return NULL; }
   CJson            *ReadValue(void)
     {
      SkipSpace();
      if(m_pos >= m_len || ++m_depth > 32) return NULL;
      CJson *value = new CJson();
      ushort c = StringGetCharacter(m_text, m_pos);
      if(c == '{')
        {
         value.type = JSON_OBJECT;
         m_pos++;
         SkipSpace();
         if(StringGetCharacter(m_text, m_pos) == '}') { m_pos++; m_depth--; return value; }
         while(true)
           {
            SkipSpace();
            string key;
            if(StringGetCharacter(m_text, m_pos) != '"' || !ReadString(key)) return Fail(value);
            SkipSpace();
            if(StringGetCharacter(m_text, m_pos++) != ':') return Fail(value);
            CJson *member = ReadValue();
            if(member == NULL) return Fail(value);
            value.Add(key, member);
            SkipSpace();
            ushort next = StringGetCharacter(m_text, m_pos++);
            if(next == '}') break;
            if(next != ',') return Fail(value);
           }
        }
      else if(c == '[')
        {
         value.type = JSON_ARRAY;
         m_pos++;
         SkipSpace();
         if(StringGetCharacter(m_text, m_pos) == ']') { m_pos++; m_depth--; return value; }
         while(true)
           {
            CJson *element = ReadValue();
            if(element == NULL) return Fail(value);
            value.Add("", element);
            SkipSpace();
            ushort next = StringGetCharacter(m_text, m_pos++);
            if(next == ']') break;
            if(next != ',') return Fail(value);
           }
        }
      else if(c == '"')
        {
         value.type = JSON_STRING;
         if(!ReadString(value.text)) return Fail(value);
        }
      else if(Literal("true")) { value.type = JSON_BOOL; value.boolean = true; }
      else if(Literal("false")) { value.type = JSON_BOOL; value.boolean = false; }
      else if(Literal("null")) value.type = JSON_NULL;
      else
        {
         int start = m_pos;
         while(m_pos < m_len && StringFind("+-0123456789.eE", ShortToString(StringGetCharacter(m_text, m_pos))) >= 0) m_pos++;
         if(m_pos == start) return Fail(value);
         value.type = JSON_NUMBER;
         value.text = StringSubstr(m_text, start, m_pos - start);
        }
      m_depth--;
      return value;
     }

public:
   CJson            *Parse(const string text)
     {
      m_text = text;
      m_pos = 0;
      m_len = StringLen(text);
      m_depth = 0;
      CJson *root = ReadValue();
      SkipSpace();
      if(root != NULL && m_pos != m_len) { delete root; return NULL; }
      return root;
     }
  };

//--- Writers. The terminal's frames are built as strings with these helpers.
string JsonEscape(const string value)
  {
   string out = "";
   for(int i = 0; i < StringLen(value); i++)
     {
      ushort c = StringGetCharacter(value, i);
      if(c == '"') out += "\\\"";
      else if(c == '\\') out += "\\\\";
      else if(c == '\n') out += "\\n";
      else if(c == '\r') out += "\\r";
      else if(c == '\t') out += "\\t";
      else if(c < 0x20) out += StringFormat("\\u%04x", c);
      else out += ShortToString(c);
     }
   return out;
  }

string JStr(const string key, const string value) { return "\"" + key + "\":\"" + JsonEscape(value) + "\""; }
string JNum(const string key, const double value, const int digits) { return "\"" + key + "\":" + DoubleToString(value, digits); }
string JInt(const string key, const long value) { return "\"" + key + "\":" + IntegerToString(value); }
string JBool(const string key, const bool value) { return "\"" + key + "\":" + (value ? "true" : "false"); }
string JRaw(const string key, const string json) { return "\"" + key + "\":" + json; }
/** Tickets are ulong in MT5 and may pass 2^53: they travel as digit strings. */
string JTicket(const string key, const ulong ticket) { return "\"" + key + "\":\"" + StringFormat("%I64u", ticket) + "\""; }
string JObj(const string members) { return "{" + members + "}"; }
/** Appends an element or member to a comma-separated list. */
void JAppend(string &list, const string item) { list += (list == "" ? "" : ",") + item; }
//+------------------------------------------------------------------+
