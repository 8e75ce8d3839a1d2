//+------------------------------------------------------------------+
//| Enums.mqh: MQL5 enumerations <-> protocol names.                  |
//| The protocol writes each enum as the MQL5 constant without its    |
//| prefix (ORDER_TYPE_BUY_LIMIT -> "BUY_LIMIT"); see                 |
//| libs/contracts/src/bridge/mt5-enums.ts for the lists.             |
//+------------------------------------------------------------------+

string OrderTypeName(const ENUM_ORDER_TYPE type)
  {
   switch(type)
     {
      case ORDER_TYPE_BUY: return "BUY";
      case ORDER_TYPE_SELL: return "SELL";
      case ORDER_TYPE_BUY_LIMIT: return "BUY_LIMIT";
      case ORDER_TYPE_SELL_LIMIT: return "SELL_LIMIT";
      case ORDER_TYPE_BUY_STOP: return "BUY_STOP";
      case ORDER_TYPE_SELL_STOP: return "SELL_STOP";
      case ORDER_TYPE_BUY_STOP_LIMIT: return "BUY_STOP_LIMIT";
      case ORDER_TYPE_SELL_STOP_LIMIT: return "SELL_STOP_LIMIT";
      default: return "CLOSE_BY";
     }
  }

bool OrderTypeFromName(const string name, ENUM_ORDER_TYPE &type)
  {
   for(int value = ORDER_TYPE_BUY; value <= ORDER_TYPE_CLOSE_BY; value++)
      if(OrderTypeName((ENUM_ORDER_TYPE)value) == name) { type = (ENUM_ORDER_TYPE)value; return true; }
   return false;
  }

string OrderStateName(const ENUM_ORDER_STATE state)
  {
   switch(state)
     {
      case ORDER_STATE_STARTED: return "STARTED";
      case ORDER_STATE_PLACED: return "PLACED";
      case ORDER_STATE_CANCELED: return "CANCELED";
      case ORDER_STATE_PARTIAL: return "PARTIAL";
      case ORDER_STATE_FILLED: return "FILLED";
      case ORDER_STATE_REJECTED: return "REJECTED";
      case ORDER_STATE_EXPIRED: return "EXPIRED";
      case ORDER_STATE_REQUEST_ADD: return "REQUEST_ADD";
      case ORDER_STATE_REQUEST_MODIFY: return "REQUEST_MODIFY";
      default: return "REQUEST_CANCEL";
     }
  }

string FillingName(const ENUM_ORDER_TYPE_FILLING filling)
  {
   switch(filling)
     {
      case ORDER_FILLING_FOK: return "FOK";
      case ORDER_FILLING_IOC: return "IOC";
      case ORDER_FILLING_BOC: return "BOC";
      default: return "RETURN";
     }
  }

bool FillingFromName(const string name, ENUM_ORDER_TYPE_FILLING &filling)
  {
   if(name == "FOK") filling = ORDER_FILLING_FOK;
   else if(name == "IOC") filling = ORDER_FILLING_IOC;
   else if(name == "RETURN") filling = ORDER_FILLING_RETURN;
   else if(name == "BOC") filling = ORDER_FILLING_BOC;
   else return false;
   return true;
  }

string TimeTypeName(const ENUM_ORDER_TYPE_TIME type)
  {
   switch(type)
     {
      case ORDER_TIME_DAY: return "DAY";
      case ORDER_TIME_SPECIFIED: return "SPECIFIED";
      case ORDER_TIME_SPECIFIED_DAY: return "SPECIFIED_DAY";
      default: return "GTC";
     }
  }

ENUM_ORDER_TYPE_TIME TimeTypeFromName(const string name)
  {
   if(name == "DAY") return ORDER_TIME_DAY;
   if(name == "SPECIFIED") return ORDER_TIME_SPECIFIED;
   if(name == "SPECIFIED_DAY") return ORDER_TIME_SPECIFIED_DAY;
   return ORDER_TIME_GTC;
  }

bool ActionFromName(const string name, ENUM_TRADE_REQUEST_ACTIONS &action)
  {
   if(name == "DEAL") action = TRADE_ACTION_DEAL;
   else if(name == "PENDING") action = TRADE_ACTION_PENDING;
   else if(name == "SLTP") action = TRADE_ACTION_SLTP;
   else if(name == "MODIFY") action = TRADE_ACTION_MODIFY;
   else if(name == "REMOVE") action = TRADE_ACTION_REMOVE;
   else if(name == "CLOSE_BY") action = TRADE_ACTION_CLOSE_BY;
   else return false;
   return true;
  }

string DealTypeName(const ENUM_DEAL_TYPE type)
  {
   switch(type)
     {
      case DEAL_TYPE_BUY: return "BUY";
      case DEAL_TYPE_SELL: return "SELL";
      case DEAL_TYPE_BALANCE: return "BALANCE";
      case DEAL_TYPE_CREDIT: return "CREDIT";
      case DEAL_TYPE_CHARGE: return "CHARGE";
      case DEAL_TYPE_CORRECTION: return "CORRECTION";
      case DEAL_TYPE_BONUS: return "BONUS";
      case DEAL_TYPE_COMMISSION: return "COMMISSION";
      case DEAL_TYPE_COMMISSION_DAILY: return "COMMISSION_DAILY";
      case DEAL_TYPE_COMMISSION_MONTHLY: return "COMMISSION_MONTHLY";
      case DEAL_TYPE_COMMISSION_AGENT_DAILY: return "COMMISSION_AGENT_DAILY";
      case DEAL_TYPE_COMMISSION_AGENT_MONTHLY: return "COMMISSION_AGENT_MONTHLY";
      case DEAL_TYPE_INTEREST: return "INTEREST";
      case DEAL_TYPE_BUY_CANCELED: return "BUY_CANCELED";
      case DEAL_TYPE_SELL_CANCELED: return "SELL_CANCELED";
      case DEAL_DIVIDEND: return "DIVIDEND";
      case DEAL_DIVIDEND_FRANKED: return "DIVIDEND_FRANKED";
      default: return "TAX";
     }
  }

string DealEntryName(const ENUM_DEAL_ENTRY entry)
  {
   switch(entry)
     {
      case DEAL_ENTRY_IN: return "IN";
      case DEAL_ENTRY_OUT: return "OUT";
      case DEAL_ENTRY_INOUT: return "INOUT";
      default: return "OUT_BY";
     }
  }

string DealReasonName(const ENUM_DEAL_REASON reason)
  {
   switch(reason)
     {
      case DEAL_REASON_CLIENT: return "CLIENT";
      case DEAL_REASON_MOBILE: return "MOBILE";
      case DEAL_REASON_WEB: return "WEB";
      case DEAL_REASON_EXPERT: return "EXPERT";
      case DEAL_REASON_SL: return "SL";
      case DEAL_REASON_TP: return "TP";
      case DEAL_REASON_SO: return "SO";
      case DEAL_REASON_ROLLOVER: return "ROLLOVER";
      case DEAL_REASON_VMARGIN: return "VMARGIN";
      case DEAL_REASON_SPLIT: return "SPLIT";
      default: return "CORPORATE_ACTION";
     }
  }

string TransactionTypeName(const ENUM_TRADE_TRANSACTION_TYPE type)
  {
   switch(type)
     {
      case TRADE_TRANSACTION_ORDER_ADD: return "ORDER_ADD";
      case TRADE_TRANSACTION_ORDER_UPDATE: return "ORDER_UPDATE";
      case TRADE_TRANSACTION_ORDER_DELETE: return "ORDER_DELETE";
      case TRADE_TRANSACTION_DEAL_ADD: return "DEAL_ADD";
      case TRADE_TRANSACTION_DEAL_UPDATE: return "DEAL_UPDATE";
      case TRADE_TRANSACTION_DEAL_DELETE: return "DEAL_DELETE";
      case TRADE_TRANSACTION_HISTORY_ADD: return "HISTORY_ADD";
      case TRADE_TRANSACTION_HISTORY_UPDATE: return "HISTORY_UPDATE";
      case TRADE_TRANSACTION_HISTORY_DELETE: return "HISTORY_DELETE";
      case TRADE_TRANSACTION_POSITION: return "POSITION";
      default: return "REQUEST";
     }
  }

bool TimeframeFromName(const string name, ENUM_TIMEFRAMES &period)
  {
   if(name == "M1") period = PERIOD_M1;
   else if(name == "M5") period = PERIOD_M5;
   else if(name == "M15") period = PERIOD_M15;
   else if(name == "M30") period = PERIOD_M30;
   else if(name == "H1") period = PERIOD_H1;
   else if(name == "H4") period = PERIOD_H4;
   else if(name == "D1") period = PERIOD_D1;
   else return false;
   return true;
  }
//+------------------------------------------------------------------+
