"""Entity heads for other annotation schemes (PEYMA, ARMAN): a private copy of the encoder's top layers.

Why: PEYMA and ARMAN disagree with our guidelines and with each other (ARMAN
tags a country acting as a government ORG and leaves facilities untagged;
PEYMA tags no durations as DATE). One head trained on all of them learns an
average of their conventions. A scheme head reads the hidden states *below*
the encoder's top `layers` layers, runs its own copy of those layers and its
own classifier, so it can learn a corpus's conventions while the shared
encoder and the main heads (our schema) stay exactly as they were.

Initialised as a copy (`copy_top_layers`), a scheme head first reproduces the
main entity head; training then moves only the copy. `deepen` gives a trained
head more layers the same way (copies of the encoder layers below its own), so it
goes on from what it gives, not from scratch. Heads may differ in depth. The layers are plain
`torch.nn.TransformerEncoderLayer`s (post-LN, GELU), so the weights do not
depend on a transformers version's module names; copying needs a BERT-style
encoder (BERT, RoBERTa, ELECTRA: `encoder.layer[i].attention.self.query`...).
"""

from __future__ import annotations

import copy

import torch
from torch import nn


class SchemeHead(nn.Module):
    def __init__(self, hidden_size: int, num_heads: int, intermediate_size: int, num_tags: int, layers: int = 1,
                 layer_norm_eps: float = 1e-12, dropout: float = 0.1):
        super().__init__()
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(hidden_size, num_heads, intermediate_size, dropout, activation="gelu",
                                       layer_norm_eps=layer_norm_eps, batch_first=True, norm_first=False)
            for _ in range(layers))
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(hidden_size, num_tags)

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """`attention_mask`: [batch, tokens] (0: padding), or [batch, 1, tokens, tokens] additive (packed windows)."""
        if attention_mask.dim() == 4:
            heads, tokens = self.layers[0].self_attn.num_heads, hidden.shape[1]
            masks = {"src_mask": attention_mask.expand(-1, heads, -1, -1).reshape(-1, tokens, tokens).to(hidden.dtype)}
        else:
            masks = {"src_key_padding_mask": attention_mask == 0}
        for layer in self.layers:
            hidden = layer(hidden, **masks)
        return self.classifier(self.dropout(hidden))

    @torch.no_grad()
    def copy_top_layers(self, encoder: nn.Module, classifier: nn.Linear) -> None:
        """Start as the main path: the encoder's top layers and the main entity classifier."""
        for ours, theirs in zip(self.layers, _bert_layers(encoder)[-len(self.layers):]):
            _copy_layer(ours, theirs)
        _copy(self.classifier, classifier)

    @torch.no_grad()
    def deepen(self, encoder: nn.Module, layers: int) -> None:
        """Grow to `layers` layers by copying, below the head's own, the encoder layers it read the
        output of: the head then reads hidden states further down and still gives the same logits."""
        stack = _bert_layers(encoder)
        extra = layers - len(self.layers)
        if extra < 0:
            raise ValueError(f"a scheme head of {len(self.layers)} layers cannot shrink to {layers}")
        if layers >= len(stack):
            raise ValueError(f"a scheme head needs 1 to {len(stack) - 1} layers, not {layers}")
        below = stack[len(stack) - layers:len(stack) - len(self.layers)]
        template = self.layers[0]
        grown = []
        for theirs in below:
            ours = copy.deepcopy(template)
            _copy_layer(ours, theirs)
            grown.append(ours)
        self.layers = nn.ModuleList([*grown, *self.layers])


def _bert_layers(encoder: nn.Module) -> list[nn.Module]:
    stack = getattr(getattr(encoder, "encoder", None), "layer", None)
    if stack is None or not hasattr(stack[-1], "attention") or not hasattr(stack[-1].attention, "self"):
        raise ValueError(f"scheme heads copy BERT-style layers (encoder.layer[i].attention.self); "
                         f"{type(encoder).__name__} has none")
    return list(stack)


def _copy_layer(ours: nn.TransformerEncoderLayer, theirs: nn.Module) -> None:
    attention = theirs.attention
    ours.self_attn.in_proj_weight.copy_(torch.cat([attention.self.query.weight, attention.self.key.weight,
                                                   attention.self.value.weight]))
    ours.self_attn.in_proj_bias.copy_(torch.cat([attention.self.query.bias, attention.self.key.bias,
                                                 attention.self.value.bias]))
    _copy(ours.self_attn.out_proj, attention.output.dense)
    _copy(ours.norm1, attention.output.LayerNorm)
    _copy(ours.linear1, theirs.intermediate.dense)
    _copy(ours.linear2, theirs.output.dense)
    _copy(ours.norm2, theirs.output.LayerNorm)


def _copy(ours: nn.Module, theirs: nn.Module) -> None:
    """Weight and bias of a Linear or LayerNorm."""
    ours.weight.copy_(theirs.weight)
    ours.bias.copy_(theirs.bias)
