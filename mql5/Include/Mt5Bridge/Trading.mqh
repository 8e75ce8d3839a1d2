//+------------------------------------------------------------------+
//| Trading.mqh: trade_request -> OrderCheck -> OrderSend ->          |
//| trade_result, and OnTradeTransaction -> trade_transaction.        |
//+------------------------------------------------------------------+
#include "Snapshots.mqh"

/** A trade_result body from MT5's result fields. */
string TradeResultBody(const uint retcode, const ulong deal, const ulong order, const double volume, const double price,
                       const double bid, const double ask, const string comment, const uint requestId, const int retcodeExternal, const string symbol)
  {
   int digits = symbol == "" ? 5 : SymbolDigits(symbol);
   string m = JInt("retcode", retcode);
   JAppend(m, JTicket("deal", deal));
   JAppend(m, JTicket("order", order));
   JAppend(m, Lots("volume", volume));
   JAppend(m, JNum("price", price, digits));
   JAppend(m, JNum("bid", bid, digits));
   JAppend(m, JNum("ask", ask, digits));
   JAppend(m, JStr("comment", comment));
   JAppend(m, JInt("requestId", requestId));
   JAppend(m, JInt("retcodeExternal", retcodeExternal));
   return JObj(m);
  }

/** A refusal decided before OrderSend (OrderCheck, or a request this EA cannot build). */
string RefusalBody(const uint retcode, const string comment, const string symbol)
  {
   MqlTick tick;
   ZeroMemory(tick);
   if(symbol != "") SymbolInfoTick(symbol, tick);
   return TradeResultBody(retcode, 0, 0, 0, 0, tick.bid, tick.ask, comment, 0, 0, symbol);
  }

/**
 * The filling mode to send: the gateway's, when the symbol allows it for this kind of order
 * (RETURN is always fine for a pending order); none given: the first the symbol allows.
 * Returns false for a mode the symbol does not allow, which the EA answers with 10030 itself,
 * exactly as the trade server (and the simulator) would.
 */
bool ChooseFilling(const string symbol, const string requested, const bool pending, ENUM_ORDER_TYPE_FILLING &filling)
  {
   string allowed = FillingModes(symbol);
   if(requested == "")
     {
      if(StringFind(allowed, "\"FOK\"") >= 0) filling = ORDER_FILLING_FOK;
      else if(StringFind(allowed, "\"IOC\"") >= 0) filling = ORDER_FILLING_IOC;
      else filling = ORDER_FILLING_RETURN;
      return true;
     }
   if(!FillingFromName(requested, filling)) return false;
   return StringFind(allowed, "\"" + requested + "\"") >= 0 || (pending && requested == "RETURN");
  }

/** Builds the MqlTradeRequest of a trade_request body; false (and a reason) when it cannot. */
bool BuildRequest(CJson *body, MqlTradeRequest &request, string &problem)
  {
   ZeroMemory(request);
   // Enum outputs go through locals: struct members are not passed by reference.
   ENUM_TRADE_REQUEST_ACTIONS action;
   ENUM_ORDER_TYPE type = ORDER_TYPE_BUY;
   ENUM_ORDER_TYPE_FILLING filling = ORDER_FILLING_FOK;
   if(!ActionFromName(body.Str("action"), action)) { problem = "unknown action " + body.Str("action"); return false; }
   request.action = action;
   request.symbol = body.Str("symbol");
   request.volume = body.Num("volume");
   request.price = body.Num("price");
   request.stoplimit = body.Num("stopLimit");
   request.sl = body.Num("sl");
   request.tp = body.Num("tp");
   request.deviation = (ulong)body.Long("deviation", 10);
   request.magic = (ulong)body.Long("magic");
   request.comment = body.Str("comment");
   request.position = body.Ticket("position");
   request.position_by = body.Ticket("positionBy");
   request.order = body.Ticket("order");
   request.type_time = TimeTypeFromName(body.Str("typeTime", "GTC"));
   request.expiration = (datetime)(body.Long("expiration") / 1000);
   if(body.Has("type") && !OrderTypeFromName(body.Str("type"), type)) { problem = "unknown order type " + body.Str("type"); return false; }
   request.type = type;
   if(request.action == TRADE_ACTION_DEAL)
     {
      // Market execution ignores the price; instant execution needs a fresh one, so take it here.
      MqlTick tick;
      if(SymbolInfoTick(request.symbol, tick)) request.price = request.type == ORDER_TYPE_BUY ? tick.ask : tick.bid;
     }
   if(request.action == TRADE_ACTION_DEAL || request.action == TRADE_ACTION_PENDING)
     {
      if(!ChooseFilling(request.symbol, body.Str("typeFilling"), request.action == TRADE_ACTION_PENDING, filling))
        {
         problem = "filling";
         return false;
        }
      request.type_filling = filling;
     }
   return true;
  }

/** trade_request: OrderCheck first (money, volume, stops...), then OrderSend. */
string ExecuteTradeRequest(CJson *body)
  {
   MqlTradeRequest request;
   string problem = "";
   if(!BuildRequest(body, request, problem))
     {
      if(problem == "filling") return RefusalBody(TRADE_RETCODE_INVALID_FILL, "Unsupported filling mode", request.symbol);
      return RefusalBody(TRADE_RETCODE_INVALID, problem, request.symbol);
     }
   MqlTradeCheckResult check;
   ZeroMemory(check);
   if(!OrderCheck(request, check))
      return RefusalBody(check.retcode != 0 ? check.retcode : TRADE_RETCODE_INVALID, check.comment, request.symbol);
   MqlTradeResult result;
   ZeroMemory(result);
   // OrderSend returns false for any retcode other than done/placed; the result says why.
   OrderSend(request, result);
   return TradeResultBody(result.retcode, result.deal, result.order, result.volume, result.price, result.bid, result.ask,
                          result.comment, result.request_id, result.retcode_external, request.symbol);
  }

/** One OnTradeTransaction event, with the fields that apply to its type (numbered by the caller). */
string TransactionBody(const long seq, const MqlTradeTransaction &t, const MqlTradeResult &result)
  {
   string m = JInt("seq", seq);
   JAppend(m, JStr("type", TransactionTypeName(t.type)));
   string s = t.symbol;
   int digits = s == "" ? 5 : SymbolDigits(s);
   switch(t.type)
     {
      case TRADE_TRANSACTION_REQUEST:
         if(result.deal != 0) JAppend(m, JTicket("deal", result.deal));
         if(result.order != 0) JAppend(m, JTicket("order", result.order));
         if(s != "") JAppend(m, JStr("symbol", s));
         JAppend(m, JInt("requestId", result.request_id));
         JAppend(m, JInt("retcode", result.retcode));
         break;
      case TRADE_TRANSACTION_DEAL_ADD:
      case TRADE_TRANSACTION_DEAL_UPDATE:
      case TRADE_TRANSACTION_DEAL_DELETE:
         JAppend(m, JTicket("deal", t.deal));
         JAppend(m, JTicket("order", t.order));
         JAppend(m, JTicket("position", t.position));
         JAppend(m, JStr("symbol", s));
         JAppend(m, JStr("dealType", DealTypeName(t.deal_type)));
         JAppend(m, JNum("price", t.price, digits));
         JAppend(m, Lots("volume", t.volume));
         break;
      case TRADE_TRANSACTION_POSITION:
         JAppend(m, JTicket("position", t.position));
         JAppend(m, JStr("symbol", s));
         JAppend(m, JNum("priceSl", t.price_sl, digits));
         JAppend(m, JNum("priceTp", t.price_tp, digits));
         JAppend(m, Lots("volume", t.volume));
         JAppend(m, JNum("price", t.price, digits));
         break;
      default: // ORDER_* and HISTORY_*
         JAppend(m, JTicket("order", t.order));
         if(t.position != 0) JAppend(m, JTicket("position", t.position));
         JAppend(m, JStr("symbol", s));
         JAppend(m, JStr("orderType", OrderTypeName(t.order_type)));
         JAppend(m, JStr("orderState", OrderStateName(t.order_state)));
         JAppend(m, JStr("timeType", TimeTypeName(t.time_type)));
         JAppend(m, JInt("timeExpiration", (long)t.time_expiration * 1000));
         JAppend(m, JNum("price", t.price, digits));
         JAppend(m, JNum("priceSl", t.price_sl, digits));
         JAppend(m, JNum("priceTp", t.price_tp, digits));
         JAppend(m, Lots("volume", t.volume));
     }
   return JObj(m);
  }
//+------------------------------------------------------------------+
