"""Chat templates with tool calling, written for toolgym's test models.

Two families of real models are covered by their *formats* (the markup the models were trained
on), written out here as Jinja for ``tokenizer.apply_chat_template``:

* ``CHATML_TOOLS`` (Qwen2.5 style): ``<|im_start|>role ... <|im_end|>`` turns; tool schemas as JSON
  lines inside ``<tools></tools>`` in the system turn; calls as ``<tool_call>{json}</tool_call>``;
  tool results in a user turn as ``<tool_response>...</tool_response>``.
* ``HEADER_TOOLS`` (Llama 3 style): ``<|start_header_id|>role<|end_header_id|>`` headers and
  ``<|eot_id|>`` ends; tools described in the system turn; results in ``ipython`` turns.

Both render the assistant's free text followed by its calls, so a policy's raw output (which
already holds its ``<tool_call>`` blocks) and a parsed message render the same way.
"""

from __future__ import annotations

CHATML_TOOLS = r"""
{%- macro render_calls(message) -%}
{%- for call in message.tool_calls or [] -%}
{%- set fn = call.function if call.function is defined else call -%}
{%- set args = fn.arguments if fn.arguments is string else (fn.arguments | tojson) -%}
{{- '\n<tool_call>\n{"name": "' + fn.name + '", "arguments": ' + args + '}\n</tool_call>' -}}
{%- endfor -%}
{%- endmacro -%}
{%- set first_is_system = messages and messages[0].role == 'system' -%}
{%- if tools or first_is_system -%}
{{- '<|im_start|>system\n' -}}
{%- if first_is_system %}{{ messages[0].content }}{% else %}You are a helpful agent.{% endif -%}
{%- if tools -%}
{{- '\n\n# Tools\n\nThese functions are available, one JSON schema per line:\n<tools>' -}}
{%- for tool in tools %}{{ '\n' + (tool | tojson) }}{% endfor -%}
{{- '\n</tools>\n\nTo call a function, write its name and arguments as JSON inside tags:\n'
    '<tool_call>\n{"name": "<function name>", "arguments": {<arguments>}}\n</tool_call>' -}}
{%- endif -%}
{{- '<|im_end|>\n' -}}
{%- endif -%}
{%- for message in messages -%}
{%- if message.role == 'system' and loop.first -%}
{%- elif message.role == 'tool' -%}
{%- if loop.first or messages[loop.index0 - 1].role != 'tool' %}{{ '<|im_start|>user' }}{% endif -%}
{{- '\n<tool_response>\n' + message.content + '\n</tool_response>' -}}
{%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}{{ '<|im_end|>\n' }}{% endif -%}
{%- elif message.role == 'assistant' -%}
{{- '<|im_start|>assistant\n' + (message.content or '') + render_calls(message) + '<|im_end|>\n' -}}
{%- else -%}
{{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' -}}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif -%}
""".strip()

HEADER_TOOLS = r"""
{%- macro header(role) -%}
{{- '<|start_header_id|>' + role + '<|end_header_id|>\n\n' -}}
{%- endmacro -%}
{{- '<|begin_of_text|>' -}}
{%- set first_is_system = messages and messages[0].role == 'system' -%}
{%- if tools or first_is_system -%}
{{- header('system') -}}
{%- if first_is_system %}{{ messages[0].content }}{% else %}You are a helpful agent.{% endif -%}
{%- if tools -%}
{{- '\n\nYou can call these functions. Reply with a JSON object '
    '{"name": function name, "parameters": arguments} to call one.\n' -}}
{%- for tool in tools %}{{ '\n' + (tool | tojson) }}{% endfor -%}
{%- endif -%}
{{- '<|eot_id|>' -}}
{%- endif -%}
{%- for message in messages -%}
{%- if message.role == 'system' and loop.first -%}
{%- elif message.role == 'tool' -%}
{{- header('ipython') + message.content + '<|eot_id|>' -}}
{%- elif message.role == 'assistant' -%}
{{- header('assistant') + (message.content or '') -}}
{%- for call in message.tool_calls or [] -%}
{%- set fn = call.function if call.function is defined else call -%}
{%- set args = fn.arguments if fn.arguments is string else (fn.arguments | tojson) -%}
{{- '{"name": "' + fn.name + '", "parameters": ' + args + '}' -}}
{%- endfor -%}
{{- '<|eot_id|>' -}}
{%- else -%}
{{- header(message.role) + message.content + '<|eot_id|>' -}}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt %}{{ header('assistant') }}{% endif -%}
""".strip()

TEMPLATES = {
    "chatml": {
        "template": CHATML_TOOLS,
        "special_tokens": ["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
        "added_tokens": ["<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>"],
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
        "tool_format": "hermes",
    },
    "header": {
        "template": HEADER_TOOLS,
        "special_tokens": [
            "<|begin_of_text|>",
            "<|start_header_id|>",
            "<|end_header_id|>",
            "<|eot_id|>",
            "<|finetune_right_pad_id|>",
        ],
        "added_tokens": [],
        "eos_token": "<|eot_id|>",
        "pad_token": "<|finetune_right_pad_id|>",
        "tool_format": "llama3",
    },
}
