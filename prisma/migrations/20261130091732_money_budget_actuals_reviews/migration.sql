-- AlterTable
ALTER TABLE "Forbund" ADD COLUMN     "moneyPolicy" JSONB;

-- CreateTable
CREATE TABLE "BudgetLine" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "projectKey" TEXT,
    "memberKey" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BudgetLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetYear" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "equityCarriedOver" INTEGER,
    "statedTotals" JSONB,
    "warnings" JSONB NOT NULL DEFAULT '[]',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BudgetYear_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Actual" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "lineKey" TEXT NOT NULL,
    "month" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "enteredBy" TEXT NOT NULL,
    "enteredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Actual_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ForecastReview" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'waiting_for_actuals',
    "actualsThroughMonth" INTEGER,
    "forecast" JSONB,
    "yearEndResult" INTEGER,
    "withinPolicy" BOOLEAN,
    "matterId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ForecastReview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BudgetLine_forbundId_year_key_key" ON "BudgetLine"("forbundId", "year", "key");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetYear_forbundId_year_key" ON "BudgetYear"("forbundId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "Actual_forbundId_year_lineKey_month_key" ON "Actual"("forbundId", "year", "lineKey", "month");

-- CreateIndex
CREATE UNIQUE INDEX "ForecastReview_forbundId_year_quarter_key" ON "ForecastReview"("forbundId", "year", "quarter");

-- AddForeignKey
ALTER TABLE "BudgetLine" ADD CONSTRAINT "BudgetLine_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetYear" ADD CONSTRAINT "BudgetYear_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Actual" ADD CONSTRAINT "Actual_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForecastReview" ADD CONSTRAINT "ForecastReview_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;
