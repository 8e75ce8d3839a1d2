-- CreateTable
CREATE TABLE "instruments" (
    "venue" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "description" TEXT,
    "asset_class" TEXT,
    "digits" INTEGER NOT NULL,
    "point" DECIMAL(24,10) NOT NULL,
    "tick_size" DECIMAL(24,10) NOT NULL,
    "tick_value" DECIMAL(24,10) NOT NULL,
    "contract_size" DECIMAL(24,8) NOT NULL,
    "volume_min" DECIMAL(20,8) NOT NULL,
    "volume_max" DECIMAL(20,8) NOT NULL,
    "volume_step" DECIMAL(20,8) NOT NULL,
    "volume_limit" DECIMAL(20,8),
    "stops_level" INTEGER NOT NULL DEFAULT 0,
    "freeze_level" INTEGER NOT NULL DEFAULT 0,
    "base_currency" TEXT NOT NULL,
    "profit_currency" TEXT NOT NULL,
    "margin_currency" TEXT NOT NULL,
    "trade_mode" TEXT NOT NULL,
    "execution_mode" TEXT,
    "filling_modes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "calc_mode" TEXT,
    "swap_long" DECIMAL(24,8),
    "swap_short" DECIMAL(24,8),
    "sessions" JSONB NOT NULL DEFAULT '{}',
    "raw" JSONB,
    "spec_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instruments_pkey" PRIMARY KEY ("venue","symbol")
);

-- CreateTable
CREATE TABLE "bars" (
    "venue" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "open_time" TIMESTAMPTZ(3) NOT NULL,
    "open" DECIMAL(24,10) NOT NULL,
    "high" DECIMAL(24,10) NOT NULL,
    "low" DECIMAL(24,10) NOT NULL,
    "close" DECIMAL(24,10) NOT NULL,
    "tick_volume" BIGINT NOT NULL DEFAULT 0,
    "spread" INTEGER,
    "real_volume" DECIMAL(28,8),

    CONSTRAINT "bars_pkey" PRIMARY KEY ("venue","symbol","timeframe","open_time")
);

-- CreateTable
CREATE TABLE "import_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "file" TEXT NOT NULL,
    "file_sha256" TEXT,
    "format" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "rows_read" INTEGER NOT NULL DEFAULT 0,
    "rows_inserted" INTEGER NOT NULL DEFAULT 0,
    "rows_duplicate" INTEGER NOT NULL DEFAULT 0,
    "rows_rejected" INTEGER NOT NULL DEFAULT 0,
    "first_bar_time" TIMESTAMPTZ(3),
    "last_bar_time" TIMESTAMPTZ(3),
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "import_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "strategy_configs" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "symbols" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "timeframe" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "magic" INTEGER NOT NULL,
    "account" TEXT,
    "risk_per_trade_pct" DECIMAL(12,4) NOT NULL DEFAULT 0.5,
    "max_open_positions" INTEGER NOT NULL DEFAULT 1,
    "max_volume" DECIMAL(20,8),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "strategy_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signals" (
    "signal_id" TEXT NOT NULL,
    "strategy_id" TEXT NOT NULL,
    "strategy_kind" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "bar_time" TIMESTAMPTZ(3) NOT NULL,
    "side" TEXT NOT NULL,
    "strength" DOUBLE PRECISION NOT NULL,
    "reason" TEXT NOT NULL,
    "price" DECIMAL(24,10) NOT NULL,
    "stop_loss" DECIMAL(24,10),
    "take_profit" DECIMAL(24,10),
    "atr" DECIMAL(24,10),
    "correlation_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signals_pkey" PRIMARY KEY ("signal_id")
);

-- CreateTable
CREATE TABLE "risk_decisions" (
    "decision_id" TEXT NOT NULL,
    "signal_id" TEXT,
    "intent_id" TEXT,
    "account" TEXT NOT NULL,
    "strategy_id" TEXT,
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "code" TEXT,
    "context" JSONB NOT NULL DEFAULT '{}',
    "client_order_id" TEXT,
    "volume" DECIMAL(20,8),
    "price" DECIMAL(24,10),
    "stop_loss" DECIMAL(24,10),
    "take_profit" DECIMAL(24,10),
    "trading_state" TEXT NOT NULL,
    "correlation_id" TEXT,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_decisions_pkey" PRIMARY KEY ("decision_id")
);

-- CreateTable
CREATE TABLE "trading_states" (
    "account" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'ACTIVE',
    "reason" TEXT,
    "changed_by" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trading_states_pkey" PRIMARY KEY ("account")
);

-- CreateTable
CREATE TABLE "trading_state_events" (
    "id" BIGSERIAL NOT NULL,
    "account" TEXT NOT NULL,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "changed_by" TEXT NOT NULL,
    "trace_id" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trading_state_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "breaker_states" (
    "account" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'CLOSED',
    "counters" JSONB NOT NULL DEFAULT '{}',
    "reason" TEXT,
    "opened_at" TIMESTAMPTZ(3),
    "retry_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "breaker_states_pkey" PRIMARY KEY ("account","kind")
);

-- CreateTable
CREATE TABLE "breaker_events" (
    "id" BIGSERIAL NOT NULL,
    "account" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "context" JSONB NOT NULL DEFAULT '{}',
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "breaker_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_states" (
    "account" TEXT NOT NULL,
    "equity_peak" DECIMAL(24,8) NOT NULL,
    "equity_peak_at" TIMESTAMPTZ(3) NOT NULL,
    "trading_day" DATE,
    "day_start_equity" DECIMAL(24,8),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_states_pkey" PRIMARY KEY ("account")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "client_order_id" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "magic" INTEGER NOT NULL,
    "comment" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "order_type" TEXT NOT NULL,
    "volume" DECIMAL(20,8) NOT NULL,
    "filled_volume" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "price" DECIMAL(24,10),
    "average_price" DECIMAL(24,10),
    "stop_loss" DECIMAL(24,10),
    "take_profit" DECIMAL(24,10),
    "status" TEXT NOT NULL DEFAULT 'NEW',
    "order_ticket" TEXT,
    "position_id" TEXT,
    "valid_until" TIMESTAMPTZ(3) NOT NULL,
    "signal_id" TEXT,
    "decision_id" TEXT,
    "strategy_id" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_retcode" INTEGER,
    "last_error" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_events" (
    "id" BIGSERIAL NOT NULL,
    "order_id" UUID NOT NULL,
    "client_order_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT NOT NULL,
    "reason" TEXT,
    "retcode" INTEGER,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deals" (
    "id" BIGSERIAL NOT NULL,
    "account" TEXT NOT NULL,
    "deal_ticket" TEXT NOT NULL,
    "order_ticket" TEXT NOT NULL,
    "position_id" TEXT NOT NULL,
    "client_order_id" TEXT,
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "entry" TEXT NOT NULL,
    "volume" DECIMAL(20,8) NOT NULL,
    "price" DECIMAL(24,10) NOT NULL,
    "commission" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "swap" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "profit" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "fee" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "magic" DECIMAL(20,0) NOT NULL DEFAULT 0,
    "comment" TEXT NOT NULL DEFAULT '',
    "reason" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "positions" (
    "id" BIGSERIAL NOT NULL,
    "account" TEXT NOT NULL,
    "position_id" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "volume" DECIMAL(20,8) NOT NULL,
    "open_price" DECIMAL(24,10) NOT NULL,
    "current_price" DECIMAL(24,10),
    "stop_loss" DECIMAL(24,10),
    "take_profit" DECIMAL(24,10),
    "initial_stop_loss" DECIMAL(24,10),
    "profit" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "swap" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "magic" DECIMAL(20,0) NOT NULL DEFAULT 0,
    "comment" TEXT NOT NULL DEFAULT '',
    "external" BOOLEAN NOT NULL DEFAULT false,
    "strategy_id" TEXT,
    "open_time" TIMESTAMPTZ(3) NOT NULL,
    "close_time" TIMESTAMPTZ(3),
    "snapshot_time" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "positions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trades" (
    "id" BIGSERIAL NOT NULL,
    "account" TEXT NOT NULL,
    "position_id" TEXT NOT NULL,
    "close_deal_ticket" TEXT NOT NULL,
    "strategy_id" TEXT,
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "volume" DECIMAL(20,8) NOT NULL,
    "entry_time" TIMESTAMPTZ(3) NOT NULL,
    "entry_price" DECIMAL(24,10) NOT NULL,
    "exit_time" TIMESTAMPTZ(3) NOT NULL,
    "exit_price" DECIMAL(24,10) NOT NULL,
    "gross_profit" DECIMAL(24,8) NOT NULL,
    "commission" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "swap" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "fee" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "net_profit" DECIMAL(24,8) NOT NULL,
    "pips" DECIMAL(20,4),
    "r_multiple" DECIMAL(12,4),
    "duration_seconds" INTEGER NOT NULL,
    "exit_reason" TEXT NOT NULL,
    "external" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trades_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_snapshots" (
    "id" BIGSERIAL NOT NULL,
    "account" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "currency" TEXT NOT NULL,
    "balance" DECIMAL(24,8) NOT NULL,
    "equity" DECIMAL(24,8) NOT NULL,
    "margin" DECIMAL(24,8) NOT NULL,
    "free_margin" DECIMAL(24,8) NOT NULL,
    "margin_level" DECIMAL(20,4),
    "open_positions" INTEGER NOT NULL,

    CONSTRAINT "account_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "daily_performance" (
    "account" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "strategy_id" TEXT NOT NULL DEFAULT '',
    "symbol" TEXT NOT NULL DEFAULT '',
    "trades" INTEGER NOT NULL DEFAULT 0,
    "wins" INTEGER NOT NULL DEFAULT 0,
    "losses" INTEGER NOT NULL DEFAULT 0,
    "gross_profit" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "gross_loss" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "commission" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "swap" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "net_profit" DECIMAL(24,8) NOT NULL DEFAULT 0,
    "volume" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "start_equity" DECIMAL(24,8),
    "end_equity" DECIMAL(24,8),
    "max_drawdown" DECIMAL(24,8),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "daily_performance_pkey" PRIMARY KEY ("account","day","strategy_id","symbol")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "result" TEXT NOT NULL,
    "trace_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_messages" (
    "consumer" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_messages_pkey" PRIMARY KEY ("consumer","message_id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "message_id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "import_runs_venue_symbol_timeframe_started_at_idx" ON "import_runs"("venue", "symbol", "timeframe", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "strategy_configs_magic_key" ON "strategy_configs"("magic");

-- CreateIndex
CREATE INDEX "signals_created_at_idx" ON "signals"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "signals_strategy_id_symbol_timeframe_bar_time_key" ON "signals"("strategy_id", "symbol", "timeframe", "bar_time");

-- CreateIndex
CREATE UNIQUE INDEX "risk_decisions_signal_id_key" ON "risk_decisions"("signal_id");

-- CreateIndex
CREATE UNIQUE INDEX "risk_decisions_intent_id_key" ON "risk_decisions"("intent_id");

-- CreateIndex
CREATE UNIQUE INDEX "risk_decisions_client_order_id_key" ON "risk_decisions"("client_order_id");

-- CreateIndex
CREATE INDEX "risk_decisions_account_decided_at_idx" ON "risk_decisions"("account", "decided_at");

-- CreateIndex
CREATE INDEX "risk_decisions_outcome_decided_at_idx" ON "risk_decisions"("outcome", "decided_at");

-- CreateIndex
CREATE INDEX "trading_state_events_account_occurred_at_idx" ON "trading_state_events"("account", "occurred_at");

-- CreateIndex
CREATE INDEX "breaker_events_account_occurred_at_idx" ON "breaker_events"("account", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "orders_client_order_id_key" ON "orders"("client_order_id");

-- CreateIndex
CREATE INDEX "orders_status_idx" ON "orders"("status");

-- CreateIndex
CREATE INDEX "orders_account_status_idx" ON "orders"("account", "status");

-- CreateIndex
CREATE INDEX "orders_account_created_at_idx" ON "orders"("account", "created_at");

-- CreateIndex
CREATE INDEX "orders_order_ticket_idx" ON "orders"("order_ticket");

-- CreateIndex
CREATE INDEX "order_events_order_id_idx" ON "order_events"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "order_events_client_order_id_seq_key" ON "order_events"("client_order_id", "seq");

-- CreateIndex
CREATE INDEX "deals_account_position_id_idx" ON "deals"("account", "position_id");

-- CreateIndex
CREATE INDEX "deals_account_time_idx" ON "deals"("account", "time");

-- CreateIndex
CREATE UNIQUE INDEX "deals_account_deal_ticket_key" ON "deals"("account", "deal_ticket");

-- CreateIndex
CREATE INDEX "positions_account_status_idx" ON "positions"("account", "status");

-- CreateIndex
CREATE UNIQUE INDEX "positions_account_position_id_key" ON "positions"("account", "position_id");

-- CreateIndex
CREATE INDEX "trades_account_exit_time_idx" ON "trades"("account", "exit_time");

-- CreateIndex
CREATE INDEX "trades_strategy_id_exit_time_idx" ON "trades"("strategy_id", "exit_time");

-- CreateIndex
CREATE INDEX "trades_symbol_exit_time_idx" ON "trades"("symbol", "exit_time");

-- CreateIndex
CREATE UNIQUE INDEX "trades_account_position_id_close_deal_ticket_key" ON "trades"("account", "position_id", "close_deal_ticket");

-- CreateIndex
CREATE UNIQUE INDEX "account_snapshots_account_time_key" ON "account_snapshots"("account", "time");

-- CreateIndex
CREATE INDEX "daily_performance_day_idx" ON "daily_performance"("day");

-- CreateIndex
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

-- CreateIndex
CREATE INDEX "audit_log_actor_created_at_idx" ON "audit_log"("actor", "created_at");

-- CreateIndex
CREATE INDEX "audit_log_action_created_at_idx" ON "audit_log"("action", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_name_key" ON "api_keys"("name");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "processed_messages_processed_at_idx" ON "processed_messages"("processed_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_id_key" ON "outbox"("message_id");

-- CreateIndex
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("id") WHERE (published_at IS NULL);

-- CreateIndex
CREATE INDEX "outbox_published_at_idx" ON "outbox"("published_at");

-- AddForeignKey
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
