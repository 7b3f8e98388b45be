"""saidwho.analysis"""
