#include "reconciler/reconcile_queue.h"

#include <catch2/catch.hpp>

namespace ss::session {

using std::chrono::milliseconds;

TEST_CASE("the queue hands each name out once, in order, however often it was added") {
  ReconcileQueue queue;
  queue.Add("a");
  queue.Add("b");
  queue.Add("a");
  CHECK(queue.Next(milliseconds(0)) == "a");
  CHECK(queue.Next(milliseconds(0)) == "b");
  CHECK_FALSE(queue.Next(milliseconds(0)));
  queue.Add("a");  // handed out before: may be queued again
  CHECK(queue.Next(milliseconds(0)) == "a");
}

TEST_CASE("a deferred name comes when due, or at once when added plainly") {
  ReconcileQueue queue;
  queue.AddAfter("later", milliseconds(100));
  CHECK_FALSE(queue.Next(milliseconds(0)));
  CHECK(queue.Next(milliseconds(10'000)) == "later");

  queue.AddAfter("x", milliseconds(60'000));
  queue.Add("x");
  CHECK(queue.Next(milliseconds(0)) == "x");
  CHECK(queue.size() == 0);

  queue.Add("y");
  queue.AddAfter("y", milliseconds(60'000));  // already queued: stays due now, once
  CHECK(queue.Next(milliseconds(0)) == "y");
  CHECK_FALSE(queue.Next(milliseconds(0)));
}

TEST_CASE("Next waits for a name added meanwhile") {
  ReconcileQueue queue;
  std::thread adder([&] {
    std::this_thread::sleep_for(milliseconds(50));
    queue.Add("late");
  });
  CHECK(queue.Next(milliseconds(60'000)) == "late");
  adder.join();
}

}  // namespace ss::session
