"""saidwho.eval"""
