//+------------------------------------------------------------------+
//| Mt5Bridge.mq5: the terminal side of the bridge protocol v1.       |
//| Dials out to the execution gateway (MQL5 sockets are clients),    |
//| answers the challenge with HMAC-SHA256(secret, nonce), then       |
//| serves snapshot, history and trade requests and pushes ticks and  |
//| trade transactions. Newline-delimited JSON, one frame per line.   |
//| Protocol: docs/bridge-protocol.md. Install: docs/mt5-ea-install.md|
//+------------------------------------------------------------------+
#property copyright "mt5 trading platform"
#property version   "1.00"
#property description "Bridge protocol v1 client for the execution gateway"

#include <Mt5Bridge/Json.mqh>
#include <Mt5Bridge/Hmac.mqh>
#include <Mt5Bridge/Trading.mqh>

input string InpGatewayHost   = "127.0.0.1";   // Gateway host (add it to the allowed URLs)
input int    InpGatewayPort   = 5555;          // Gateway bridge port
input bool   InpUseTls        = false;         // TLS (the gateway needs BRIDGE_TLS_* set)
input string InpAccountId     = "paper-1";     // Platform account id this terminal serves
input string InpSharedSecret  = "";            // Shared secret for this account (16+ characters)
input int    InpMaxFrameBytes = 1048576;       // Longest line read, in bytes

#define EA_VERSION        "1.0.0"
#define POLL_MS           50       // timer period: socket reads, tick polling, heartbeats
#define HANDSHAKE_MS      10000
#define MAX_BACKOFF_MS    30000

int      g_socket = INVALID_HANDLE;
bool     g_open = false;            // welcome received
uchar    g_line[];                  // bytes of the line being read
bool     g_discarding = false;      // inside a line that was too long
long     g_nextId = 1;
long     g_seq = 0;                 // transaction numbering; survives reconnects of this instance
string   g_instanceId = "";
long     g_heartbeatMs = 5000;
ulong    g_connectedAt = 0, g_lastHeard = 0, g_lastBeat = 0, g_nextDial = 0;
int      g_backoffMs = 1000;
string   g_symbols[];               // ticks_subscribe set
long     g_lastTickMsc[];

//+------------------------------------------------------------------+
int OnInit(void)
  {
   if(StringLen(InpSharedSecret) < 16) { Print("Mt5Bridge: InpSharedSecret must have at least 16 characters"); return INIT_PARAMETERS_INCORRECT; }
   MathSrand((uint)(GetMicrosecondCount() ^ (ulong)TimeLocal()));
   g_instanceId = StringFormat("ea-%04x%04x%08x", MathRand(), MathRand(), (uint)GetMicrosecondCount());
   EventSetMillisecondTimer(POLL_MS);
   return INIT_SUCCEEDED;
  }

void OnDeinit(const int reason)
  {
   EventKillTimer();
   Disconnect("EA stopped");
  }

void OnTick(void) { if(g_open) StreamTicks(); }

void OnTimer(void)
  {
   ulong now = GetTickCount64();
   if(g_socket == INVALID_HANDLE)
     {
      if(now >= g_nextDial) Dial();
      return;
     }
   ReadSocket();
   if(g_socket == INVALID_HANDLE) return;
   if(!g_open)
     {
      if(now - g_connectedAt > HANDSHAKE_MS) Disconnect("no welcome in time");
      return;
     }
   if(now - g_lastHeard > (ulong)(3 * g_heartbeatMs)) { SendError("BRIDGE.HEARTBEAT_TIMEOUT", "nothing heard from the gateway", ""); Disconnect("heartbeat timeout"); return; }
   if(now - g_lastBeat >= (ulong)g_heartbeatMs) { g_lastBeat = now; SendFrame("heartbeat", HeartbeatBody(), ""); }
   StreamTicks();
  }

/** OnTradeTransaction runs after OrderSend returns, so transactions follow the trade_result. */
void OnTradeTransaction(const MqlTradeTransaction &trans, const MqlTradeRequest &request, const MqlTradeResult &result)
  {
   g_seq++; // numbered even when offline: the gateway sees the gap and reconciles
   if(g_open) SendFrame("trade_transaction", TransactionBody(g_seq, trans, result), "");
  }

//--- connection ------------------------------------------------------
void Dial(void)
  {
   g_socket = SocketCreate();
   if(g_socket != INVALID_HANDLE && SocketConnect(g_socket, InpGatewayHost, InpGatewayPort, 3000)
      && (!InpUseTls || SocketTlsHandshake(g_socket, InpGatewayHost)))
     {
      g_connectedAt = GetTickCount64();
      g_lastHeard = g_connectedAt;
      ArrayFree(g_line);
      g_discarding = false;
      return;
     }
   PrintFormat("Mt5Bridge: cannot reach %s:%d (error %d); next try in %d ms", InpGatewayHost, InpGatewayPort, GetLastError(), g_backoffMs);
   Disconnect("");
  }

void Disconnect(const string reason)
  {
   if(g_socket != INVALID_HANDLE)
     {
      if(reason != "") Print("Mt5Bridge: disconnected: ", reason);
      SocketClose(g_socket);
     }
   g_socket = INVALID_HANDLE;
   g_open = false;
   ArrayFree(g_symbols);
   ArrayFree(g_lastTickMsc);
   g_nextDial = GetTickCount64() + g_backoffMs;
   g_backoffMs = MathMin(g_backoffMs * 2, MAX_BACKOFF_MS);
  }

void ReadSocket(void)
  {
   uchar chunk[];
   int n = 0;
   if(InpUseTls) n = SocketTlsReadAvailable(g_socket, chunk, 65536);
   else
     {
      uint available = SocketIsReadable(g_socket);
      if(available > 0) n = SocketRead(g_socket, chunk, available, 100);
     }
   if(n < 0 || !SocketIsConnected(g_socket)) { Disconnect("connection lost"); return; }
   int start = 0;
   for(int i = 0; i < n && g_socket != INVALID_HANDLE; i++)
     {
      if(chunk[i] != '\n') continue;
      AppendBytes(chunk, start, i - start);
      if(!g_discarding && ArraySize(g_line) > 0) HandleLine(CharArrayToString(g_line, 0, ArraySize(g_line), CP_UTF8));
      ArrayFree(g_line);
      g_discarding = false;
      start = i + 1;
     }
   if(g_socket != INVALID_HANDLE) AppendBytes(chunk, start, n - start);
  }

/** Keeps at most InpMaxFrameBytes of an unfinished line; a longer one is reported once and skipped. */
void AppendBytes(const uchar &chunk[], const int start, const int count)
  {
   if(g_discarding || count <= 0) return;
   int size = ArraySize(g_line);
   if(size + count > InpMaxFrameBytes)
     {
      SendError("BRIDGE.FRAME_TOO_LARGE", StringFormat("frame exceeds %d bytes; discarded up to the next newline", InpMaxFrameBytes), "");
      ArrayFree(g_line);
      g_discarding = true;
      return;
     }
   ArrayResize(g_line, size + count, 4096);
   ArrayCopy(g_line, chunk, size, start, count);
  }

//--- frames ------------------------------------------------------------
long NowUtcMs(void) { return (long)TimeGMT() * 1000; }

void SendFrame(const string kind, const string body, const string replyTo)
  {
   if(g_socket == INVALID_HANDLE) return;
   string line = "{\"v\":1,\"kind\":\"" + kind + "\",\"id\":\"t-" + IntegerToString(g_nextId++) + "\""
                 + (replyTo != "" ? ",\"replyTo\":\"" + JsonEscape(replyTo) + "\"" : "")
                 + ",\"ts\":" + IntegerToString(NowUtcMs()) + ",\"body\":" + body + "}\n";
   uchar bytes[];
   Utf8Bytes(line, bytes);
   int size = ArraySize(bytes);
   int sent = InpUseTls ? SocketTlsSend(g_socket, bytes, size) : SocketSend(g_socket, bytes, size);
   if(sent != size) Disconnect("send failed");
  }

void SendError(const string code, const string message, const string refId)
  {
   string body = JStr("code", code) + "," + JStr("message", message);
   if(refId != "" && StringLen(refId) <= 64) body += "," + JStr("refId", refId);
   SendFrame("error", JObj(body), StringLen(refId) <= 64 ? refId : "");
  }

string HeartbeatBody(void)
  {
   return JObj(JBool("terminalConnected", TerminalInfoInteger(TERMINAL_CONNECTED) != 0) + "," + JBool("tradeAllowed", TradeAllowed())
               + "," + JInt("serverTimeOffsetSeconds", (long)(TimeTradeServer() - TimeGMT())));
  }

string HelloBody(CJson *challenge)
  {
   string m = JStr("account", InpAccountId);
   JAppend(m, JInt("login", AccountInfoInteger(ACCOUNT_LOGIN)));
   JAppend(m, JStr("server", AccountInfoString(ACCOUNT_SERVER)));
   JAppend(m, JStr("company", AccountInfoString(ACCOUNT_COMPANY)));
   JAppend(m, JInt("protocolVersion", 1));
   JAppend(m, JInt("terminalBuild", TerminalInfoInteger(TERMINAL_BUILD)));
   JAppend(m, JStr("eaVersion", EA_VERSION));
   JAppend(m, JStr("eaInstanceId", g_instanceId));
   JAppend(m, JInt("serverTimeOffsetSeconds", (long)(TimeTradeServer() - TimeGMT())));
   JAppend(m, JStr("marginMode", MarginModeName()));
   JAppend(m, JBool("tradeAllowed", TradeAllowed()));
   JAppend(m, JStr("hmac", HmacSha256Hex(InpSharedSecret, challenge.Str("nonce"))));
   return JObj(m);
  }

void HandleLine(const string text)
  {
   CJsonReader reader;
   CJson *frame = reader.Parse(text);
   if(frame == NULL || frame.type != JSON_OBJECT) { SendError("BRIDGE.MALFORMED", "not a JSON object", ""); if(frame != NULL) delete frame; return; }
   g_lastHeard = GetTickCount64();
   string id = frame.Str("id");
   CJson *body = frame.Get("body");
   if(frame.Long("v") != 1) SendError("BRIDGE.UNSUPPORTED_VERSION", "this terminal speaks protocol 1", id);
   else if(body == NULL || body.type != JSON_OBJECT) SendError("BRIDGE.SCHEMA_VIOLATION", "body must be an object", id);
   else Dispatch(frame.Str("kind"), id, frame.Str("replyTo"), body);
   delete frame;
  }

void Dispatch(const string kind, const string id, const string replyTo, CJson *body)
  {
   if(kind == "heartbeat") { if(replyTo == "") SendFrame("heartbeat", HeartbeatBody(), id); return; }
   if(kind == "error") { Print("Mt5Bridge: gateway error ", body.Str("code"), ": ", body.Str("message")); return; }
   if(kind == "challenge") { SendFrame("hello", HelloBody(body), id); return; }
   if(kind == "welcome")
     {
      g_open = true;
      g_heartbeatMs = body.Long("heartbeatIntervalMs", 5000);
      g_backoffMs = 1000;
      PrintFormat("Mt5Bridge: session %s open (instance %s)", body.Str("sessionId"), g_instanceId);
      return;
     }
   if(!g_open) { SendError("BRIDGE.UNEXPECTED_FRAME", kind + " before welcome", id); return; }
   if(kind == "symbols_request") SendFrame("symbol_spec", SymbolSpecBody(body), id);
   else if(kind == "ticks_subscribe") Subscribe(body);
   else if(kind == "account_request") SendFrame("account", AccountBody(), id);
   else if(kind == "positions_request") SendFrame("positions", PositionsBody(body), id);
   else if(kind == "orders_request") SendFrame("orders", OrdersBody(body), id);
   else if(kind == "deals_request") SendFrame("deals", DealsBody(body), id);
   else if(kind == "trade_request") SendFrame("trade_result", ExecuteTradeRequest(body), id);
   else if(kind == "bars_request")
     {
      string error = "";
      string bars = BarsBody(body, error);
      if(error != "") SendError("EA.HISTORY_UNAVAILABLE", error, id);
      else SendFrame("bars", bars, id);
     }
   else if(replyTo == "") SendError("BRIDGE.UNEXPECTED_FRAME", kind + " is not a request the terminal serves", id);
  }

//--- ticks -------------------------------------------------------------
/** ticks_subscribe replaces the set; the current quote of each symbol goes out at once. */
void Subscribe(CJson *body)
  {
   CJson *list = body.Get("symbols");
   int n = list != NULL ? list.Size() : 0;
   ArrayResize(g_symbols, n);
   ArrayResize(g_lastTickMsc, n);
   for(int i = 0; i < n; i++)
     {
      g_symbols[i] = list.At(i).text;
      g_lastTickMsc[i] = 0;
      SymbolSelect(g_symbols[i], true);
     }
   StreamTicks();
  }

/** Sends the latest tick of each subscribed symbol that changed since the last poll (ticks between polls coalesce). */
void StreamTicks(void)
  {
   for(int i = 0; i < ArraySize(g_symbols); i++)
     {
      MqlTick tick;
      if(!SymbolInfoTick(g_symbols[i], tick) || tick.time_msc == g_lastTickMsc[i]) continue;
      g_lastTickMsc[i] = tick.time_msc;
      string s = g_symbols[i];
      string m = JStr("symbol", s);
      JAppend(m, JInt("time", tick.time_msc));
      JAppend(m, Price("bid", s, tick.bid));
      JAppend(m, Price("ask", s, tick.ask));
      if(tick.last > 0) JAppend(m, Price("last", s, tick.last));
      JAppend(m, JNum("volume", tick.volume_real, 8));
      JAppend(m, JInt("flags", tick.flags));
      SendFrame("tick", JObj(m), "");
     }
  }
//+------------------------------------------------------------------+
