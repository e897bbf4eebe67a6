"""parsclaim: Persian NER and claim extraction for news."""
