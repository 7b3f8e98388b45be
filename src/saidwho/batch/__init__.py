"""saidwho.batch"""
