"""Process helpers every part of the project starts servers with (the suite its simulator
and Appium, the real stacks their servers, the tests and benchmarks theirs): free ports,
processes that die with their parent and stop as a group, and the one poll loop. They know
nothing of what they start, so none of the parts has to borrow them from another."""
