#include "kube/quantity.h"

#include <catch2/catch.hpp>
#include <string>

namespace ss::kube {

TEST_CASE("quantities in their base unit") {
  CHECK(*ParseQuantity("500m") == Approx(0.5));
  CHECK(*ParseQuantity("2") == Approx(2));
  CHECK(*ParseQuantity("1.5Gi") == Approx(1.5 * 1024 * 1024 * 1024));
  CHECK(*ParseQuantity("128Mi") == Approx(128.0 * 1024 * 1024));
  CHECK(*ParseQuantity("1e3") == Approx(1000));
  CHECK(*ParseQuantity("1E+2") == Approx(100));
  CHECK(*ParseQuantity("25e-3") == Approx(0.025));
  CHECK(*ParseQuantity("1E") == Approx(1e18));
  CHECK(*ParseQuantity("2k") == Approx(2000));
  CHECK(*ParseQuantity("3u") == Approx(3e-6));
  CHECK(*ParseQuantity("4n") == Approx(4e-9));
  CHECK(*ParseQuantity(".5") == Approx(0.5));
  CHECK(*ParseQuantity("5.") == Approx(5));
  CHECK(*ParseQuantity("1.G") == Approx(1e9));
  CHECK(*ParseQuantity("+1") == Approx(1));
  CHECK(*ParseQuantity("-1") == Approx(-1));
  CHECK(*ParseQuantity("0") == 0);
  // The range checks compare with these exactly.
  CHECK(*ParseQuantity("1m") == 0.001L);
  CHECK(*ParseQuantity("1Mi") == 1048576.0L);
}

TEST_CASE("what is not a quantity") {
  for (const std::string text :
       {"",    "abc",  "1Gb",   "1 Gi", " 1",  "1 ",    "\t1",   ".",    "1e",  "Gi",  "m",  "1K",
        "1ki", "1..2", "1.2.3", "--1",  "+-1", "1e+-3", "1e3.5", "0x10", "inf", "nan", "1,5"}) {
    CAPTURE(text);
    CHECK_FALSE(ParseQuantity(text));
  }
  CHECK_FALSE(ParseQuantity(std::string(65, '1')));
  CHECK(ParseQuantity(std::string(64, '1')));
}

TEST_CASE("an exponent and a suffix do not combine") {
  // Kubernetes reads "e3Ki" as one suffix, which is none of its suffixes.
  CHECK_FALSE(ParseQuantity("1e3Ki"));
  CHECK_FALSE(ParseQuantity("1.5e3m"));
  CHECK(MilliValue("1e3Ki") == 0);
}

TEST_CASE("thousandths, rounded up exactly as Kubernetes' MilliValue") {
  CHECK(MilliValue("250m") == 250);
  CHECK(MilliValue("2") == 2000);
  CHECK(MilliValue("1.5") == 1500);
  CHECK(MilliValue("0.1") == 100);
  CHECK(MilliValue("1Ki") == 1'024'000);
  CHECK(MilliValue("100n") == 1);
  CHECK(MilliValue("123456789n") == 124);
  CHECK(MilliValue("1e-10") == 1);
  CHECK(MilliValue("9223372036854775807m") == 9'223'372'036'854'775'807);
  CHECK(MilliValue("9223372036854775808m") == 0);
  CHECK(MilliValue("1e16") == 0);
  CHECK(MilliValue("") == 0);
  CHECK(MilliValue("abc") == 0);
  CHECK(MilliValue("1Xi") == 0);
}

TEST_CASE("a negative quantity is a quantity, rounded up towards zero") {
  CHECK(MilliValue("-1") == -1000);
  CHECK(MilliValue("-1.5m") == -1);
  CHECK(Value("-1.5") == -1);
}

TEST_CASE("base units, rounded up as Kubernetes' Value") {
  CHECK(Value("512Mi") == 512LL << 20);
  CHECK(Value("1G") == 1'000'000'000);
  CHECK(Value("192Gi") == 192LL << 30);
  CHECK(Value("1e3") == 1000);
  CHECK(Value("110") == 110);
  CHECK(Value("16396572Ki") == 16'396'572LL * 1024);
  CHECK(Value("7Ei") == 7LL << 60);
  CHECK(Value("8Ei") == 0);
  CHECK(Value("100m") == 1);
  CHECK(Value("1.5") == 2);
  CHECK(Value("0") == 0);
}

}  // namespace ss::kube
