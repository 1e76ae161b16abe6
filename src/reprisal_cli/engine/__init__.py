"""The engine: answers + knowledge base -> plan, with the do-no-harm gates. Pure: never prints.

The evaluator is `reprisal_cli.engine.evaluate.evaluate` (also `reprisal_cli.evaluate`). This
package imports nothing itself, so a command that needs only a part of the engine (`followup`
reads `engine.risk` and `engine.plan`) does not load the rules and gates (bench/followup).
"""
