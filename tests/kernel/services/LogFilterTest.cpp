#include "kernel/services/LogFilter.h"

#include <gtest/gtest.h>

#include <sstream>

#include "kernel/services/Logging.h"

namespace ekaci::services {

TEST(LogFilterTest, GlobalLevel) {
  auto filter = LogFilter::parse("warn");
  ASSERT_TRUE(filter);
  EXPECT_EQ(filter->levelFor("storage"), sdk::LogLevel::Warn);
}

TEST(LogFilterTest, MostSpecificModuleWins) {
  auto filter = LogFilter::parse("plugin=debug, plugin.cache.attic=trace ,error");
  ASSERT_TRUE(filter) << filter.error().describe();
  EXPECT_EQ(filter->levelFor("server"), sdk::LogLevel::Error);
  EXPECT_EQ(filter->levelFor("plugin.forge.github.main"), sdk::LogLevel::Debug);
  EXPECT_EQ(filter->levelFor("plugin.cache.attic.x"), sdk::LogLevel::Trace);
  EXPECT_EQ(filter->levelFor("pluginx"), sdk::LogLevel::Error) << "prefixes match whole segments";
}

TEST(LogFilterTest, AcceptsEkaCiRustLogSpelling) {
  auto filter = LogFilter::parse("eka_ci_server::scheduler=debug,eka_ci_server=info");
  ASSERT_TRUE(filter);
  EXPECT_EQ(filter->levelFor("scheduler"), sdk::LogLevel::Debug);
  EXPECT_EQ(filter->levelFor("storage"), sdk::LogLevel::Info);
}

TEST(LogFilterTest, RejectsUnknownLevels) {
  auto filter = LogFilter::parse("storage=loud");
  ASSERT_FALSE(filter);
  EXPECT_NE(filter.error().message().find("unknown log level 'loud'"), std::string::npos);
}

TEST(LoggingTest, FiltersAndFormatsStructuredFields) {
  std::ostringstream sink;
  {
    Logging logging(*LogFilter::parse("storage=debug,warn"), sink);
    auto storage = logging.logger("storage");
    auto server = logging.logger("server");
    storage->debug("opened", {{"path", "/var/lib/x y.db"}, {"mode", "wal"}});
    server->info("hidden");
    server->warn("shown");
    logging.flush();
  }
  const std::string text = sink.str();
  EXPECT_NE(text.find("storage: opened path=\"/var/lib/x y.db\" mode=wal"), std::string::npos) << text;
  EXPECT_EQ(text.find("hidden"), std::string::npos) << text;
  EXPECT_NE(text.find("server: shown"), std::string::npos) << text;
}

}  // namespace ekaci::services
